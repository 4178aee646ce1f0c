package io.quire.jcache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import io.quire.jcache.store.EntryMutation.Outcome;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract, one behaviour at a time, over a single node with small pages. */
class PagedEntryStoreTest {
  private static final PageSize PAGE = new PageSize(512);

  @TempDir
  Path dir;

  private GridNode node;
  private RecordingMemory memory;
  private PagedEntryStore store;

  @BeforeEach
  void open() {
    node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE));
    memory = new RecordingMemory(node.memory());
    store = PagedEntryStore.create(memory, PAGE, Durability.VOLATILE);
  }

  @AfterEach
  void close() {
    node.close();
  }

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  static byte[] filled(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7);
    }
    return bytes;
  }

  static void put(EntryStore store, byte[] key, byte[] value) {
    store.compute(key, current -> new Outcome<>(new Change.Put(value, StoredEntry.NEVER), null));
  }

  static void remove(EntryStore store, byte[] key) {
    store.compute(key, current -> new Outcome<>(Change.REMOVE, null));
  }

  /* ---- get and compute ---- */

  @Test
  void read_handsTheValueAndExpiry_inLineOrOutOfLine_andNullForAMiss() {
    store.compute(bytes("small"), current -> new Outcome<>(new Change.Put(bytes("v"), 99L), null));
    byte[] large = filled(900, 4);
    put(store, bytes("large"), large);
    EntryStore.ValueReader<StoredEntry> copy = (bytes, offset, length, expiresAt) ->
        new StoredEntry(new byte[0], java.util.Arrays.copyOfRange(bytes, offset, offset + length), expiresAt);

    StoredEntry small = store.read(bytes("small"), copy);
    assertThat(small.value()).isEqualTo(bytes("v"));
    assertThat(small.expiresAt()).isEqualTo(99L);
    assertThat(store.read(bytes("large"), copy).value()).isEqualTo(large);
    assertThat(store.<StoredEntry>read(bytes("none"), (bytes, offset, length, expiresAt) -> {
      throw new AssertionError("the reader runs only for an entry");
    })).isNull();
  }


  @Test
  void get_absentKey_isNull() {
    assertThat(store.get(bytes("nobody"))).isNull();
  }

  @Test
  void compute_put_isSeenByGet_withItsExpiry() {
    store.compute(bytes("k"), current -> new Outcome<>(new Change.Put(bytes("v"), 1234L), null));

    StoredEntry entry = store.get(bytes("k"));
    assertThat(entry.key()).isEqualTo(bytes("k"));
    assertThat(entry.value()).isEqualTo(bytes("v"));
    assertThat(entry.expiresAt()).isEqualTo(1234L);
  }

  @Test
  void compute_seesTheCurrentEntry_andReturnsTheMutationsResult() {
    put(store, bytes("k"), bytes("old"));

    String seen = store.compute(bytes("k"), current ->
        new Outcome<>(new Change.Put(bytes("new"), StoredEntry.NEVER), new String(current.value(), UTF_8)));

    assertThat(seen).isEqualTo("old");
    assertThat(store.get(bytes("k")).value()).isEqualTo(bytes("new"));
  }

  @Test
  void compute_absentKey_seesNull() {
    StoredEntry[] seen = {new StoredEntry(new byte[0], new byte[0], 0)};
    store.compute(bytes("k"), current -> {
      seen[0] = current;
      return new Outcome<>(Change.KEEP, null);
    });
    assertThat(seen[0]).isNull();
    assertThat(store.get(bytes("k"))).isNull();
  }

  @Test
  void compute_remove_removesTheEntry_andIgnoresAnAbsentOne() {
    put(store, bytes("k"), bytes("v"));
    remove(store, bytes("k"));
    remove(store, bytes("k"));
    assertThat(store.get(bytes("k"))).isNull();
  }

  @Test
  void compute_setExpiry_keepsTheValue_andDoesNothingOnAnAbsentKey() {
    put(store, bytes("k"), filled(300, 1));
    store.compute(bytes("k"), current -> new Outcome<>(new Change.SetExpiry(77L), null));
    store.compute(bytes("absent"), current -> new Outcome<>(new Change.SetExpiry(77L), null));

    assertThat(store.get(bytes("k")).value()).isEqualTo(filled(300, 1));
    assertThat(store.get(bytes("k")).expiresAt()).isEqualTo(77L);
    assertThat(store.get(bytes("absent"))).isNull();
  }

  @Test
  void compute_mutationThrows_leavesTheEntry_rethrows_andReleasesTheBucket() throws Exception {
    put(store, bytes("k"), bytes("v"));

    assertThatThrownBy(() -> store.compute(bytes("k"), current -> {
      throw new IllegalArgumentException("user code failed");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("user code failed");

    assertThat(store.get(bytes("k")).value()).isEqualTo(bytes("v"));
    // Another thread can lock the bucket: the failed compute unlocked it.
    CompletableFuture.runAsync(() -> put(store, bytes("k"), bytes("w"))).get();
    assertThat(store.get(bytes("k")).value()).isEqualTo(bytes("w"));
  }

  @Test
  void compute_runsTheMutationOnce() {
    for (int i = 0; i < 60; i++) {
      put(store, bytes("key-" + i), filled(20, i));
    }
    int[] runs = {0};
    store.compute(bytes("key-7"), current -> {
      runs[0]++;
      return new Outcome<>(Change.KEEP, null);
    });
    assertThat(runs[0]).isEqualTo(1);
  }

  @Test
  void compute_handsOutCopies_soChangingThemChangesNothing() {
    byte[] value = bytes("value");
    put(store, bytes("k"), value);
    value[0] = 'X';
    store.compute(bytes("k"), current -> {
      current.value()[0] = 'Y';
      return new Outcome<>(new Change.SetExpiry(5L), null);
    });
    store.get(bytes("k")).value()[0] = 'Z';
    assertThat(store.get(bytes("k")).value()).isEqualTo(bytes("value"));
  }

  @Test
  void compute_insideAMutationOfTheSameStore_isRefused() {
    assertThatThrownBy(() -> store.compute(bytes("a"), current -> {
      put(store, bytes("b"), bytes("v"));
      return new Outcome<>(Change.KEEP, null);
    })).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a mutation");
    assertThat(store.get(bytes("b"))).isNull();
  }

  @Test
  void compute_nullOutcome_isRefusedAndChangesNothing() {
    put(store, bytes("k"), bytes("v"));
    assertThatThrownBy(() -> store.compute(bytes("k"), current -> null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("null outcome");
    assertThat(store.get(bytes("k")).value()).isEqualTo(bytes("v"));
  }

  /* ---- buckets ---- */

  @Test
  void manyEntries_splitBuckets_andStayReadable() {
    Map<String, byte[]> model = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      model.put("key-" + i, filled(i % 40, i));
      put(store, bytes("key-" + i), model.get("key-" + i));
    }
    model.forEach((key, value) -> assertThat(store.get(bytes(key)).value()).as(key).isEqualTo(value));
    assertThat(store.get(bytes("key-400"))).isNull();
  }

  @Test
  void get_inSteadyState_readsExactlyOnePage() {
    for (int i = 0; i < 300; i++) {
      put(store, bytes("key-" + i), filled(10, i));
    }
    PagedEntryStore other = PagedEntryStore.open(memory, PAGE, store.rangeStart());
    other.get(bytes("key-42"));

    long before = memory.reads();
    assertThat(other.get(bytes("key-42"))).isNotNull();
    assertThat(other.get(bytes("key-43"))).isNotNull();
    assertThat(memory.reads() - before).as("a fresh instance learns the splits once").isLessThanOrEqualTo(10);

    before = memory.reads();
    assertThat(other.get(bytes("key-42")).value()).isEqualTo(filled(10, 42));
    assertThat(memory.reads() - before).isEqualTo(1);
  }

  @Test
  void fullLeavesAtTheDepthLimit_overflowIntoARange_andShrinkBack() {
    PagedEntryStore shallow = PagedEntryStore.create(memory, PAGE, Durability.VOLATILE, 1);
    int entries = 60;
    for (int i = 0; i < entries; i++) {
      put(shallow, bytes("key-" + i), filled(i % 90, i));
    }
    for (int i = 0; i < entries; i++) {
      assertThat(shallow.get(bytes("key-" + i)).value()).isEqualTo(filled(i % 90, i));
    }
    assertThat(shallow.outOfLineRanges()).as("values are in line: these are overflowed leaves").isNotEmpty();
    assertThat(memory.liveRanges()).containsAll(shallow.outOfLineRanges().stream().map(Ref::start).toList());

    for (int i = 0; i < entries - 2; i++) {
      remove(shallow, bytes("key-" + i));
    }
    assertThat(shallow.get(bytes("key-58")).value()).isEqualTo(filled(58, 58));
    assertThat(shallow.get(bytes("key-59")).value()).isEqualTo(filled(59, 59));
    assertThat(shallow.outOfLineRanges()).as("the last two fit in their leaves again").isEmpty();
    assertThat(memory.liveRanges()).containsOnly(store.rangeStart(), shallow.rangeStart());
  }

  /* ---- iterator, clear, destroy ---- */

  @Test
  void iterator_seesEveryEntryOnce_andRefusesRemove() {
    Map<String, byte[]> model = new HashMap<>();
    for (int i = 0; i < 150; i++) {
      model.put("key-" + i, filled(i * 3, i));
      put(store, bytes("key-" + i), model.get("key-" + i));
    }
    Map<String, byte[]> seen = new HashMap<>();
    Iterator<StoredEntry> it = store.iterator();
    while (it.hasNext()) {
      StoredEntry entry = it.next();
      assertThat(seen.put(new String(entry.key(), UTF_8), entry.value())).isNull();
    }
    assertThat(seen).containsOnlyKeys(model.keySet());
    model.forEach((key, value) -> assertThat(seen.get(key)).isEqualTo(value));
    assertThatThrownBy(store.iterator()::remove).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void clear_removesEverything_freesTheRanges_andTheStoreGoesOn() {
    for (int i = 0; i < 100; i++) {
      put(store, bytes("key-" + i), filled(i * 5, i));
    }
    assertThat(memory.liveRanges()).hasSizeGreaterThan(1);

    store.clear();

    assertThat(store.iterator().hasNext()).isFalse();
    assertThat(store.get(bytes("key-99"))).isNull();
    assertThat(memory.liveRanges()).containsOnly(store.rangeStart());
    put(store, bytes("key-1"), bytes("again"));
    assertThat(store.get(bytes("key-1")).value()).isEqualTo(bytes("again"));
  }

  @Test
  void destroy_freesEveryPage_andTheStoreRefusesUse() {
    for (int i = 0; i < 100; i++) {
      put(store, bytes("key-" + i), filled(i * 5, i));
    }
    PagedEntryStore elsewhere = PagedEntryStore.open(memory, PAGE, store.rangeStart());

    store.destroy();
    store.destroy();

    assertThat(memory.liveRanges()).isEmpty();
    assertThatThrownBy(() -> store.get(bytes("key-1"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destroyed");
    assertThatThrownBy(() -> elsewhere.get(bytes("key-1"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destroyed");
    assertThatThrownBy(() -> put(elsewhere, bytes("key-1"), bytes("v"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("destroyed");
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, store.rangeStart()))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("not allocated");
  }

  /* ---- restart ---- */

  @Test
  void entries_surviveACloseAndReopenOfTheNode() {
    PagedEntryStore persistent = PagedEntryStore.create(memory, PAGE, Durability.PERSISTENT);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      values.add(filled(i * 17, i));
      put(persistent, ByteBuffer.allocate(4).putInt(i).array(), values.get(i));
    }
    node.close();
    node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE));

    PagedEntryStore reopened = PagedEntryStore.open(node.memory(), PAGE, persistent.rangeStart());
    assertThat(reopened.durability()).isEqualTo(Durability.PERSISTENT);
    for (int i = 0; i < 40; i++) {
      assertThat(reopened.get(ByteBuffer.allocate(4).putInt(i).array()).value()).isEqualTo(values.get(i));
    }
  }
}
