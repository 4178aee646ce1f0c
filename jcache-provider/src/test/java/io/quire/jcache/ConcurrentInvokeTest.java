package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentInvokeTest {
  private static final int THREADS = 4;

  @AfterEach
  void close() {
    Caching.getCachingProvider().close();
  }

  @Test
  void incrementsFromFourThreadsLoseNothing() throws Exception {
    Cache<String, Integer> cache = Caching.getCachingProvider().getCacheManager()
        .createCache("counters", new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            cache.invoke("c" + (i % 3), (entry, args) -> {
              entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
              return null;
            });
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    int total = cache.get("c0") + cache.get("c1") + cache.get("c2");
    assertThat(total).isEqualTo(THREADS * perThread);
  }

  @Test
  void putIfAbsentRacesElectExactlyOneWinnerPerKey() throws Exception {
    Cache<Integer, Integer> cache = Caching.getCachingProvider().getCacheManager()
        .createCache("race", new MutableConfiguration<Integer, Integer>().setTypes(Integer.class, Integer.class));
    int keys = 200;
    AtomicInteger wins = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int me = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int k = 0; k < keys; k++) {
            if (cache.putIfAbsent(k, me)) {
              wins.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wins).hasValue(keys);
  }
}
