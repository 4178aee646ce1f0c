package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.cache.Cache;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.configuration.OptionalFeature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreByReferenceTest {
  private Cache<String, StringBuilder> cache;

  @BeforeEach
  void open() {
    cache = Caching.getCachingProvider().getCacheManager().createCache("refs",
        new MutableConfiguration<String, StringBuilder>().setTypes(String.class, StringBuilder.class)
            .setStoreByValue(false));
  }

  @AfterEach
  void close() {
    Caching.getCachingProvider().close();
  }

  @Test
  void aSingleNodeOffersStoreByReferenceAndHandsBackTheSameObject() {
    assertThat(Caching.getCachingProvider().isSupported(OptionalFeature.STORE_BY_REFERENCE)).isTrue();
    StringBuilder value = new StringBuilder("v");
    cache.put("k", value);
    value.append("+changed");
    assertThat(cache.get("k")).isSameAs(value);
    assertThat(cache.getAndReplace("k", new StringBuilder("w"))).isSameAs(value);
    assertThat(cache.iterator().next().getValue().toString()).isEqualTo("w");
  }

  @Test
  void objectsAreReleasedWithTheirEntriesAndWhenAChangeDoesNotStoreThem() {
    ReferenceTable table = referenceTable();
    cache.put("a", new StringBuilder("1"));
    cache.put("a", new StringBuilder("2"));
    assertThat(cache.putIfAbsent("a", new StringBuilder("3"))).isFalse();
    assertThat(table.size()).as("only the live value is held").isEqualTo(1);
    cache.put("b", new StringBuilder("4"));
    cache.remove("a");
    assertThat(table.size()).isEqualTo(1);
    cache.clear();
    assertThat(table.size()).isZero();
  }

  @Test
  void readersRacingOverwritesNeverSeeAMissingEntry() throws Exception {
    cache.put("k", new StringBuilder("0"));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      Future<?> writer = pool.submit(() -> {
        for (int i = 1; i <= 2000; i++) {
          cache.put("k", new StringBuilder(String.valueOf(i)));
        }
      });
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int missing = 0;
          while (!writer.isDone()) {
            if (cache.get("k") == null) {
              missing++;
            }
          }
          return missing;
        }));
      }
      writer.get();
      for (Future<Integer> reader : readers) {
        assertThat(reader.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(referenceTable().size()).isEqualTo(1);
  }

  private ReferenceTable referenceTable() {
    @SuppressWarnings("unchecked")
    QuireCache<String, StringBuilder> quire = cache.unwrap(QuireCache.class);
    return ((ReferenceEntryStore) quire.store()).table();
  }
}
