package io.quire.jcache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import io.quire.jcache.store.EntryMutation.Outcome;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real threads on one node: increments that race with splits, readers that race with splitting writers and with
 * overwrites that free the ranges they are reading, and walks during all that. 512-byte pages, so that every few puts
 * split a bucket.
 */
class PagedEntryStoreConcurrencyTest {
  private static final PageSize PAGE = new PageSize(512);

  @TempDir
  Path dir;

  private GridNode node;
  private RecordingMemory memory;
  private PagedEntryStore store;
  private ExecutorService pool;

  @BeforeEach
  void open() {
    node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE));
    memory = new RecordingMemory(node.memory());
    store = PagedEntryStore.create(memory, PAGE, Durability.VOLATILE);
    pool = Executors.newFixedThreadPool(5);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    node.close();
  }

  /** A counter value padded to {@code padding} bytes, so some counters live out of line. */
  private static byte[] counter(long count, int padding) {
    return ByteBuffer.allocate(Long.BYTES + padding).putLong(count).array();
  }

  private static byte[] key(String name) {
    return name.getBytes(UTF_8);
  }

  /** A value that says which key and version it is, in every byte, so a torn or mixed read shows. */
  private static byte[] versioned(int key, int version) {
    byte[] value = new byte[(version * 37 + key) % 700];
    java.util.Arrays.fill(value, (byte) (key * 31 + version));
    return value;
  }

  /** Mostly in line (splits are the point), every tenth out of line. */
  private static byte[] published(int key) {
    return PagedEntryStoreTest.filled(key % 10 == 0 ? 150 : key % 60, key);
  }

  private static void assertIsAVersionOf(int key, byte[] value, int maxVersion) {
    boolean matches = false;
    for (int version = 0; version <= maxVersion && !matches; version++) {
      matches = java.util.Arrays.equals(value, versioned(key, version));
    }
    assertThat(matches).as("value of %d bytes is a written version of key %d", value.length, key).isTrue();
  }

  private List<Future<?>> start(List<Callable<Void>> tasks) {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (Callable<Void> task : tasks) {
      futures.add(pool.submit(() -> {
        gate.await();
        return task.call();
      }));
    }
    gate.countDown();
    return futures;
  }

  private static void awaitAll(List<Future<?>> futures) throws Exception {
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void increments_fromFourThreads_whileAnotherSplitsTheirBuckets_loseNothing() throws Exception {
    int threads = 4;
    int perThread = 150;
    String[] counters = {"a", "b", "c"};
    int[] padding = {0, 40, 300};
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(t);
      tasks.add(() -> {
        for (int i = 0; i < perThread; i++) {
          int c = random.nextInt(counters.length);
          store.compute(key(counters[c]), current -> {
            long count = current == null ? 0 : ByteBuffer.wrap(current.value()).getLong();
            return new Outcome<>(new Change.Put(counter(count + 1, padding[c]), StoredEntry.NEVER), null);
          });
        }
        return null;
      });
    }
    tasks.add(() -> {
      for (int i = 0; i < 400; i++) {
        PagedEntryStoreTest.put(store, key("filler-" + i), PagedEntryStoreTest.filled(i % 60, i));
      }
      return null;
    });

    awaitAll(start(tasks));

    long total = 0;
    for (String c : counters) {
      total += ByteBuffer.wrap(store.get(key(c)).value()).getLong();
    }
    assertThat(total).isEqualTo((long) threads * perThread);
    for (int i = 0; i < 400; i++) {
      assertThat(store.get(key("filler-" + i)).value()).isEqualTo(PagedEntryStoreTest.filled(i % 60, i));
    }
  }

  @Test
  void readers_duringSplittingPuts_seeEveryPublishedEntry_andNoPhantom() throws Exception {
    int writers = 2;
    int perWriter = 500;
    AtomicInteger[] published = {new AtomicInteger(-1), new AtomicInteger(-1)};
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger writersLeft = new AtomicInteger(writers);
    AtomicInteger checks = new AtomicInteger();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      tasks.add(() -> {
        for (int i = 0; i < perWriter; i++) {
          PagedEntryStoreTest.put(store, key(writer + "-" + i), published(writer * perWriter + i));
          published[writer].set(i);
        }
        if (writersLeft.decrementAndGet() == 0) {
          writing.set(false);
        }
        return null;
      });
    }
    for (int r = 0; r < 2; r++) {
      SplittableRandom random = new SplittableRandom(100 + r);
      tasks.add(() -> {
        while (writing.get()) {
          int writer = random.nextInt(writers);
          int upTo = published[writer].get();
          if (upTo >= 0) {
            int i = random.nextInt(upTo + 1);
            StoredEntry entry = store.get(key(writer + "-" + i));
            assertThat(entry).as("published entry %d-%d", writer, i).isNotNull();
            assertThat(entry.value()).isEqualTo(published(writer * perWriter + i));
          }
          assertThat(store.get(key("never-" + random.nextInt(1000)))).isNull();
          checks.incrementAndGet();
        }
        return null;
      });
    }

    awaitAll(start(tasks));

    assertThat(checks.get()).isPositive();
    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < perWriter; i++) {
        assertThat(store.get(key(w + "-" + i)).value()).isEqualTo(published(w * perWriter + i));
      }
    }
  }

  @Test
  void readersAndWalks_duringOverwritesThatFreeTheirRanges_seeWholeValues() throws Exception {
    int keys = 4;
    int versions = 60;
    int stable = 100;
    for (int i = 0; i < stable; i++) {
      PagedEntryStoreTest.put(store, key("stable-" + i), versioned(1000 + i, 0));
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Callable<Void>> tasks = new ArrayList<>();
    tasks.add(() -> {
      for (int version = 0; version < versions; version++) {
        for (int k = 0; k < keys; k++) {
          PagedEntryStoreTest.put(store, key("hot-" + k), versioned(k, version));
        }
      }
      writing.set(false);
      return null;
    });
    SplittableRandom random = new SplittableRandom(7);
    tasks.add(() -> {
      while (writing.get()) {
        int k = random.nextInt(keys);
        StoredEntry entry = store.get(key("hot-" + k));
        if (entry != null) {
          assertIsAVersionOf(k, entry.value(), versions);
        }
      }
      return null;
    });
    tasks.add(() -> {
      do {
        Map<String, Integer> seen = new HashMap<>();
        store.iterator().forEachRemaining(entry -> seen.merge(new String(entry.key(), UTF_8), 1, Integer::sum));
        assertThat(seen.values()).as("no entry twice").allMatch(count -> count == 1);
        for (int i = 0; i < stable; i++) {
          assertThat(seen).as("an entry present throughout a walk is seen").containsKey("stable-" + i);
        }
      } while (writing.get());
      return null;
    });

    awaitAll(start(tasks));

    for (int k = 0; k < keys; k++) {
      assertThat(store.get(key("hot-" + k)).value()).isEqualTo(versioned(k, versions - 1));
    }
    java.util.Set<io.quire.core.address.GlobalAddress> pointed = new java.util.HashSet<>();
    store.outOfLineRanges().forEach(ref -> pointed.add(ref.start()));
    pointed.add(store.rangeStart());
    assertThat(memory.liveRanges()).as("every overwritten range was freed").isEqualTo(pointed);
  }
}
