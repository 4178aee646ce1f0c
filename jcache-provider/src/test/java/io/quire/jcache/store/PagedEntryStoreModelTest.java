package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import io.quire.jcache.store.EntryMutation.Outcome;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random computes (put, remove, set expiry, keep, throwing), gets, walks, clears and node restarts against a plain map,
 * through two store instances on one range (each with its own split cache), with 512-byte pages so that splits, out-of-line values and keys, and multi-page ranges happen all the time; every
 * third seed has a depth limit of 2, so that leaves overflow too. After checks, the ranges the store points to are
 * exactly the ranges allocated and not freed: no leak, no dangling reference.
 *
 * <p>A few seeds by default; {@code -Dquire.store.seeds=N} runs N, {@code -Dquire.store.seed=S} replays one.
 */
class PagedEntryStoreModelTest {
  private static final PageSize PAGE = new PageSize(512);
  private static final int OPERATIONS = 700;

  @TempDir
  Path dir;

  private GridNode node;
  private RecordingMemory memory;
  private PagedEntryStore store;
  /** A second instance on the same range, with a split cache of its own, as another node's would be. */
  private PagedEntryStore twin;

  static LongStream seeds() {
    Long one = Long.getLong("quire.store.seed");
    return one != null ? LongStream.of(one) : LongStream.rangeClosed(1, Long.getLong("quire.store.seeds", 4));
  }

  /** What the model holds for a key. */
  private record Expected(byte[] value, long expiresAt) {}

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomOperations_matchAMap(long seed) {
    Random random = new Random(seed);
    String replay = "seed " + seed + " (replay: mvn -pl jcache-provider test -Dtest=PagedEntryStoreModelTest "
        + "-Dquire.store.seed=" + seed + ")";
    Durability durability = seed % 2 == 0 ? Durability.PERSISTENT : Durability.VOLATILE;
    GridConfig config = GridConfig.defaults(dir).withPageSize(PAGE).withRamBudgetBytes(256L * PAGE.bytes());
    node = GridNode.open(config);
    memory = new RecordingMemory(node.memory(), new ConcurrentHashMap<>());
    store = seed % 3 == 0 ? PagedEntryStore.create(memory, PAGE, durability, 2)
        : PagedEntryStore.create(memory, PAGE, durability);
    twin = PagedEntryStore.open(memory, PAGE, store.rangeStart());
    List<byte[]> keys = keyPool(random);
    Map<ByteBuffer, Expected> model = new HashMap<>();
    try {
      for (int op = 0; op < OPERATIONS; op++) {
        String at = replay + ", operation " + op;
        byte[] key = keys.get(random.nextInt(keys.size()));
        PagedEntryStore via = random.nextBoolean() ? store : twin;
        Expected expected = model.get(ByteBuffer.wrap(key));
        int dice = random.nextInt(100);
        if (dice < 35) {
          byte[] value = value(random);
          long expiresAt = random.nextBoolean() ? StoredEntry.NEVER : random.nextInt(1000);
          mutate(via, key, expected, new Change.Put(value, expiresAt), at);
          model.put(ByteBuffer.wrap(key), new Expected(value, expiresAt));
        } else if (dice < 50) {
          mutate(via, key, expected, Change.REMOVE, at);
          model.remove(ByteBuffer.wrap(key));
        } else if (dice < 58) {
          long expiresAt = random.nextInt(1000);
          mutate(via, key, expected, new Change.SetExpiry(expiresAt), at);
          if (expected != null) {
            model.put(ByteBuffer.wrap(key), new Expected(expected.value(), expiresAt));
          }
        } else if (dice < 62) {
          mutate(via, key, expected, Change.KEEP, at);
        } else if (dice < 65) {
          assertThatThrownBy(() -> via.compute(key, current -> {
            throw new IllegalStateException("user code");
          })).as(at).hasMessage("user code");
        } else if (dice < 86) {
          assertMatches(via.get(key), key, expected, at);
        } else if (dice < 89) {
          assertWalkMatches(via, model, at);
        } else if (dice < 90) {
          via.clear();
          model.clear();
        } else if (dice < 92) {
          reopen(config);
        } else if (dice < 95) {
          assertRangesAreExactlyTheLiveOnes(at);
        }
      }
      assertWalkMatches(store, model, replay + ", at the end");
      assertWalkMatches(twin, model, replay + ", at the end");
      assertRangesAreExactlyTheLiveOnes(replay + ", at the end");
      reopen(config);
      assertWalkMatches(store, model, replay + ", after the last restart");
      store.clear();
      assertThat(store.iterator().hasNext()).as(replay).isFalse();
      assertRangesAreExactlyTheLiveOnes(replay + ", after clear");
      store.destroy();
      assertThat(memory.liveRanges()).as(replay + ": destroy frees everything").isEmpty();
    } finally {
      node.close();
    }
  }

  /** Runs one compute that checks the entry it is shown against the model, then makes {@code change}. */
  private static void mutate(PagedEntryStore via, byte[] key, Expected expected, Change change, String at) {
    String result = via.compute(key, current -> {
      assertMatches(current, key, expected, at);
      return new Outcome<>(change, "done");
    });
    assertThat(result).as(at).isEqualTo("done");
  }

  private static void assertMatches(StoredEntry actual, byte[] key, Expected expected, String at) {
    if (expected == null) {
      assertThat(actual).as(at).isNull();
      return;
    }
    assertThat(actual).as(at).isNotNull();
    assertThat(actual.key()).as(at).isEqualTo(key);
    assertThat(actual.value()).as(at).isEqualTo(expected.value());
    assertThat(actual.expiresAt()).as(at).isEqualTo(expected.expiresAt());
  }

  private static void assertWalkMatches(PagedEntryStore via, Map<ByteBuffer, Expected> model, String at) {
    Set<ByteBuffer> seen = new HashSet<>();
    for (Iterator<StoredEntry> it = via.iterator(); it.hasNext(); ) {
      StoredEntry entry = it.next();
      ByteBuffer key = ByteBuffer.wrap(entry.key());
      assertThat(seen.add(key)).as(at + ": seen twice").isTrue();
      assertMatches(entry, entry.key(), model.get(key), at);
    }
    assertThat(seen).as(at).isEqualTo(model.keySet());
  }

  private void assertRangesAreExactlyTheLiveOnes(String at) {
    Set<GlobalAddress> pointed = new HashSet<>();
    for (Ref ref : store.outOfLineRanges()) {
      assertThat(pointed.add(ref.start())).as(at + ": two references to " + ref.start()).isTrue();
    }
    pointed.add(store.rangeStart());
    assertThat(memory.liveRanges()).as(at + ": allocated and not freed = pointed to").isEqualTo(pointed);
  }

  private void reopen(GridConfig config) {
    Map<GlobalAddress, AddressRange> live = memory.liveMap();
    node.close();
    node = GridNode.open(config);
    memory = new RecordingMemory(node.memory(), live);
    store = PagedEntryStore.open(memory, PAGE, store.rangeStart());
    twin = PagedEntryStore.open(memory, PAGE, store.rangeStart());
  }

  /** Mostly short keys; some that leave the value out of line, some that must go out of line themselves. */
  private static List<byte[]> keyPool(Random random) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      keys.add(("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    for (int length : new int[] {0, 60, 90, 100, 111, 112, 130, 300, 700}) {
      byte[] key = new byte[length];
      random.nextBytes(key);
      keys.add(key);
    }
    return keys;
  }

  /**
   * Lengths around every boundary: in line, out of line in one page, over several pages. Mostly in line, because an
   * out-of-line value costs an allocate and a free, each a durable directory change in grid-core.
   */
  private static byte[] value(Random random) {
    int dice = random.nextInt(100);
    int length = dice < 60 ? random.nextInt(40) : dice < 85 ? 40 + random.nextInt(80)
        : dice < 97 ? 120 + random.nextInt(1100) : 1220 + random.nextInt(4000);
    byte[] value = new byte[length];
    random.nextBytes(value);
    return value;
  }
}
