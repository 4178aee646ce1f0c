package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.GridConfig;
import io.quire.jcache.config.DescriptorParser;
import io.quire.jcache.config.QuireDescriptor;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two cache managers on two nodes of a 3-node in-JVM cluster share the caches their descriptor declares. */
class ClusteredCacheTest {
  private static final String DESCRIPTOR = """
      <?xml version="1.0" encoding="UTF-8"?>
      <quire xmlns="urn:io.quire:cache:1.0">
        <cache name="shared" key-type="java.lang.String" value-type="java.lang.Integer"/>
      </quire>
      """;
  private static final URI URI_A = URI.create("urn:test:node-a");

  private InJvmClusterGrid cluster;
  private QuireCacheManager a;
  private QuireCacheManager b;

  @BeforeEach
  void start() {
    cluster = InJvmClusterGrid.open(3, GridConfig.defaults(Path.of(".")).withRamBudgetBytes(8L << 20));
    QuireDescriptor descriptor = new DescriptorParser()
        .parse(new ByteArrayInputStream(DESCRIPTOR.getBytes(StandardCharsets.UTF_8)), "shared.xml");
    QuireCachingProvider provider = new QuireCachingProvider();
    ClassLoader loader = getClass().getClassLoader();
    a = new QuireCacheManager(provider, URI_A, loader, new Properties(), descriptor, cluster, () -> {});
    b = new QuireCacheManager(provider, URI.create("urn:test:node-b"), loader, new Properties(), descriptor,
        cluster.view(1), () -> {});
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    cluster.close();
  }

  @Test
  void aGetOnOneNodeRightAfterAPutReturnsOnTheOtherSeesTheNewValue() {
    Cache<String, Integer> onA = a.getCache("shared", String.class, Integer.class);
    Cache<String, Integer> onB = b.getCache("shared", String.class, Integer.class);
    for (int i = 0; i < 200; i++) {
      Cache<String, Integer> writer = i % 2 == 0 ? onA : onB;
      Cache<String, Integer> reader = i % 2 == 0 ? onB : onA;
      writer.put("k" + (i % 7), i);
      assertThat(reader.get("k" + (i % 7))).as("read %d", i).isEqualTo(i);
    }
    onB.remove("k0");
    assertThat(onA.containsKey("k0")).isFalse();
    GridMetrics metrics = b.gridMetrics();
    assertThat(metrics.members()).isEqualTo(3);
    assertThat(metrics.readMisses()).as("node b read pages it did not hold").isPositive();
    assertThat(metrics.invalidations()).as("writes invalidated read copies").isPositive();
    assertThat(metrics.messagesSent()).isGreaterThanOrEqualTo(metrics.readMisses() + metrics.invalidations());
  }

  @Test
  void aListenerOnOneNodeHearsOfChangesMadeOnTheOtherInOrder() throws Exception {
    Cache<String, Integer> onA = a.getCache("shared", String.class, Integer.class);
    Cache<String, Integer> onB = b.getCache("shared", String.class, Integer.class);
    HEARD.clear();
    onB.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Heard.class), null, true, false));
    onA.put("e", 1);
    onA.put("e", 2);
    onA.remove("e");
    List<String> heard = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String event = HEARD.poll(10, TimeUnit.SECONDS);
      assertThat(event).as("event %d arrived", i).isNotNull();
      heard.add(event);
    }
    assertThat(heard).containsExactly("CREATED e=1", "UPDATED e=2 was 1", "REMOVED e=2 was 2");
    onB.put("local", 7);
    assertThat(HEARD.poll(10, TimeUnit.SECONDS)).isEqualTo("CREATED local=7");
  }

  static final BlockingQueue<String> HEARD = new LinkedBlockingQueue<>();

  /** Records events as text into {@link #HEARD}. */
  public static final class Heard implements CacheEntryCreatedListener<String, Integer>,
      CacheEntryUpdatedListener<String, Integer>, CacheEntryRemovedListener<String, Integer> {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> HEARD.add("CREATED " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> HEARD.add("UPDATED " + e.getKey() + "=" + e.getValue() + " was " + e.getOldValue()));
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> HEARD.add("REMOVED " + e.getKey() + "=" + e.getValue() + " was " + e.getOldValue()));
    }
  }

  @Test
  void invokeIncrementsFromTwoNodesTimesFourThreadsLoseNothing() throws Exception {
    int perThread = 60;
    List<Cache<String, Integer>> caches = List.of(a.getCache("shared", String.class, Integer.class),
        b.getCache("shared", String.class, Integer.class));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Cache<String, Integer> cache = caches.get(t % 2);
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            cache.invoke("counter", (entry, args) -> {
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
    assertThat(caches.get(0).get("counter")).isEqualTo(8 * perThread);
    assertThat(caches.get(1).get("counter")).isEqualTo(8 * perThread);
  }

  @Test
  void putIfAbsentRacesAcrossNodesElectExactlyOneWinner() throws Exception {
    List<Cache<String, Integer>> caches = List.of(a.getCache("shared", String.class, Integer.class),
        b.getCache("shared", String.class, Integer.class));
    int keys = 40;
    AtomicInteger wins = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Cache<String, Integer> cache = caches.get(t % 2);
        int me = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int k = 0; k < keys; k++) {
            if (cache.putIfAbsent("race-" + k, me)) {
              wins.incrementAndGet();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wins).hasValue(keys);
    for (int k = 0; k < keys; k++) {
      assertThat(caches.get(0).get("race-" + k)).isEqualTo(caches.get(1).get("race-" + k));
    }
  }
}
