package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stored format's guards: open() of anything but a store, damaged bucket and range bytes, and a range freed under
 * a reader. Every failure is a {@link StoreFormatException} naming the page, never a hang or a huge allocation.
 */
class StoreFormatTest {
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

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private GlobalAddress root() {
    return store.rangeStart().plusPages(1, PAGE);
  }

  /* ---- open ---- */

  @Test
  void open_reopensWhatCreateMade() {
    StoreDescriptor descriptor = PagedEntryStore.open(memory, PAGE, store.rangeStart()).descriptor();
    assertThat(descriptor).isEqualTo(store.descriptor());
    assertThat(descriptor.depthLimit()).isEqualTo(StoreDescriptor.DEFAULT_DEPTH_LIMIT);
    assertThat(descriptor.inlineLimit()).isEqualTo(PAGE.bytes() / 4);
  }

  @Test
  void open_ofAnAllocatedRangeThatIsNoStore_failsClearly() {
    AddressRange foreign = memory.allocate(2, Durability.VOLATILE);
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, foreign.start()))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining(foreign.start().toString())
        .hasMessageContaining("not an entry store").hasMessageContaining("never written");

    memory.write(foreign.start(), key("some other application's page, long enough to be read"));
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, foreign.start()))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("magic");
  }

  @Test
  void open_ofAnUnallocatedOrUnalignedAddress_failsClearly() {
    GlobalAddress nowhere = store.rangeStart().plusPages(store.descriptor().rangePages() + 1000, PAGE);
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, nowhere))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("not allocated");
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, store.rangeStart().plus(8)))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("first byte of a page");
  }

  @Test
  void open_withAnotherPageSize_failsClearly() {
    assertThatThrownBy(() -> PagedEntryStore.open(memory, new PageSize(1024), store.rangeStart()))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("pages of 512 bytes");
  }

  @Test
  void open_ofADamagedOrNewerDescriptor_failsClearly() {
    byte[] descriptor = store.descriptor().encode();
    descriptor[6] ^= 1;
    memory.update(store.rangeStart(), current -> descriptor);
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, store.rangeStart()))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("checksum");

    byte[] newer = store.descriptor().encode();
    newer[4] = 2;
    memory.update(store.rangeStart(), current -> newer);
    assertThatThrownBy(() -> PagedEntryStore.open(memory, PAGE, store.rangeStart()))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining("format version 2");
  }

  /* ---- damaged buckets ---- */

  private static byte[] leafWith(int count, byte[] rest) {
    return ByteBuffer.allocate(4 + rest.length).put((byte) 1).put((byte) 1).putShort((short) count).put(rest).array();
  }

  /** An entry with the given lengths and flags, then nothing: the lengths lie. */
  private static byte[] entryHeader(int flags, int keyLength) {
    return ByteBuffer.allocate(13).put((byte) flags).putLong(0).putInt(keyLength).array();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"format", "kind", "count", "negative-key", "huge-key", "flags", "trailing", "key-out-alone"})
  void damagedBucket_failsGetComputeAndWalk_namingThePage(String damage) {
    PagedEntryStoreTest.put(store, key("k"), key("v"));
    byte[] page = switch (damage) {
      case "format" -> new byte[] {9, 1, 0, 0};
      case "kind" -> new byte[] {1, 7, 0, 0};
      case "count" -> leafWith(0xFFFF, new byte[20]);
      case "negative-key" -> leafWith(1, entryHeader(0, -5));
      case "huge-key" -> leafWith(1, entryHeader(0, Integer.MAX_VALUE));
      case "flags" -> leafWith(1, entryHeader(0x40, 0));
      case "trailing" -> leafWith(0, new byte[] {0, 0, 3});
      case "key-out-alone" -> leafWith(1, entryHeader(2, 1));
      default -> throw new AssertionError(damage);
    };
    memory.update(root(), current -> page);

    assertThatThrownBy(() -> store.get(key("k"))).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining(root().toString());
    assertThatThrownBy(() -> PagedEntryStoreTest.put(store, key("k"), key("w")))
        .isInstanceOf(StoreFormatException.class);
    assertThatThrownBy(() -> store.iterator().hasNext()).isInstanceOf(StoreFormatException.class);
  }

  @Test
  void damageAfterTheKeysIntactEntry_failsCompute_namingThePage() {
    PagedEntryStoreTest.put(store, key("k"), key("v"));
    byte[] intact = memory.read(root()).toByteArray();
    byte[] damaged = Arrays.copyOf(intact, intact.length + 4);
    damaged[damaged.length - 1] = 1;
    memory.update(root(), current -> damaged);
    long version = memory.read(root()).version();

    assertThatThrownBy(() -> PagedEntryStoreTest.put(store, key("k"), key("w")))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining(root().toString());
    assertThatThrownBy(() -> PagedEntryStoreTest.remove(store, key("k")))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining(root().toString());
    assertThat(memory.read(root()).version()).as("nothing written over the damage").isEqualTo(version);
  }

  @Test
  void splitMarkOnTheDeepestLevel_isDamage_notAnEndlessWalk() {
    PagedEntryStore shallow = PagedEntryStore.create(memory, PAGE, Durability.VOLATILE, 1);
    for (long node = 1; node <= 3; node++) {
      memory.update(shallow.rangeStart().plusPages(node, PAGE), current -> BucketPage.encodeSplit());
    }
    assertThatThrownBy(() -> shallow.get(key("k"))).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining("deepest level");
  }

  /* ---- out-of-line ranges ---- */

  @Test
  void damagedValueRange_failsTheGet_insteadOfRetryingForever() {
    PagedEntryStoreTest.put(store, key("k"), PagedEntryStoreTest.filled(2000, 1));
    Ref ref = store.outOfLineRanges().get(0);
    memory.write(ref.start().plusPages(1, PAGE), new byte[] {42});

    assertThatThrownBy(() -> store.get(key("k"))).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining(root().toString()).hasMessageContaining("checksum");
    assertThatThrownBy(() -> PagedEntryStoreTest.put(store, key("k"), key("v")))
        .isInstanceOf(StoreFormatException.class);
  }

  @Test
  void get_whoseValueRangeIsFreedUnderIt_readsTheBucketAgain_andReturnsTheNewValue() {
    byte[] newer = PagedEntryStoreTest.filled(900, 2);
    PagedEntryStoreTest.put(store, key("k"), PagedEntryStoreTest.filled(900, 1));
    Ref old = store.outOfLineRanges().get(0);
    AtomicBoolean raced = new AtomicBoolean();
    memory.beforeRead(address -> {
      if (address.equals(old.start()) && raced.compareAndSet(false, true)) {
        // Between the reader's bucket read and its range read: an overwrite, which frees the old range.
        PagedEntryStoreTest.put(store, key("k"), newer);
      }
    });

    assertThat(store.get(key("k")).value()).isEqualTo(newer);
    assertThat(raced).isTrue();
  }

  @Test
  void walk_whoseValueRangeIsFreedUnderIt_looksTheKeyUpAgain() {
    PagedEntryStoreTest.put(store, key("k"), PagedEntryStoreTest.filled(900, 1));
    PagedEntryStoreTest.put(store, key("gone"), PagedEntryStoreTest.filled(900, 3));
    Ref k = store.outOfLineRanges().stream()
        .filter(ref -> ref.crc() == crcOf(PagedEntryStoreTest.filled(900, 1))).findFirst().orElseThrow();
    Ref gone = store.outOfLineRanges().stream().filter(ref -> !ref.equals(k)).findFirst().orElseThrow();
    AtomicBoolean raced = new AtomicBoolean();
    memory.beforeRead(address -> {
      if ((address.equals(k.start()) || address.equals(gone.start())) && raced.compareAndSet(false, true)) {
        PagedEntryStoreTest.put(store, key("k"), key("small now"));
        PagedEntryStoreTest.remove(store, key("gone"));
      }
    });

    java.util.List<StoredEntry> walked = new java.util.ArrayList<>();
    store.iterator().forEachRemaining(walked::add);

    assertThat(raced).isTrue();
    assertThat(walked).as("k was there throughout; gone was removed").hasSize(1);
    walked.forEach(entry -> assertThat(entry.value()).isEqualTo(key("small now")));
  }

  private static int crcOf(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }
}
