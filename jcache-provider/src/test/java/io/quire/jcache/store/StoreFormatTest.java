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
    assertThat(descriptor.inlineLimit()).isEqualTo(StoreDescriptor.maxInlineLimit(PAGE));
  }

  /** The limit is the largest that keeps three entries in every leaf: one byte more and three no longer fit. */
  @ParameterizedTest(name = "{0}-byte pages")
  @ValueSource(ints = {512, 4096, 65536})
  void threeEntriesAtTheInlineLimit_fitOneLeaf_andOneByteMoreWouldNot(int pageBytes) {
    PageSize size = new PageSize(pageBytes);
    int limit = StoreDescriptor.maxInlineLimit(size);
    assertThat(BucketPage.fits(java.util.List.of(entryOf(limit), entryOf(limit), entryOf(limit)), pageBytes)).isTrue();
    assertThat(BucketPage.fits(java.util.List.of(entryOf(limit + 1), entryOf(limit + 1), entryOf(limit + 1)),
        pageBytes)).isFalse();
    assertThatThrownBy(() -> new StoreDescriptor(10, Durability.VOLATILE, size, limit + 1, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inline limit");
  }

  /** An in-line entry whose bucket form takes exactly {@code bytes}. */
  private static Slot entryOf(int bytes) {
    Slot slot = Slot.inline(new byte[] {1}, new byte[(int) (bytes - Slot.inlineBytes(1, 0))], 0);
    assertThat(slot.encodedBytes()).isEqualTo(bytes);
    return slot;
  }

  @Test
  void aStoreCreatedWithAQuarterPageInLine_stillOpens() {
    StoreDescriptor quarter = new StoreDescriptor(StoreDescriptor.DEFAULT_DEPTH_LIMIT, Durability.VOLATILE, PAGE,
        PAGE.bytes() / 4, false);
    assertThat(quarter.inlineLimit()).isLessThan(StoreDescriptor.maxInlineLimit(PAGE));
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"fingerprint", "length-short", "length-long", "length-zero", "count", "trailing"})
  void damagedVersion2Leaf_failsGetComputeAndWalk_namingThePage(String damage) {
    PagedEntryStoreTest.put(store, key("a"), key("1"));
    PagedEntryStoreTest.put(store, key("k"), key("v"));
    byte[] page = memory.read(root()).toByteArray();
    assertThat(page[0]).isEqualTo((byte) BucketPage.FORMAT);
    ByteBuffer bytes = ByteBuffer.wrap(page);
    int second = BucketPage.LEAF_HEADER + BucketPage.RECORD; // the directory record of "k"
    int record = bytes.getInt(second);
    byte[] damaged = switch (damage) {
      case "fingerprint" -> {
        bytes.putInt(second, record ^ (1 << BucketPage.LENGTH_BITS));
        yield page;
      }
      case "length-short" -> {
        bytes.putInt(second, record - 1);
        yield page;
      }
      case "length-long" -> {
        bytes.putInt(second, record + 1);
        yield page;
      }
      case "length-zero" -> {
        bytes.putInt(second, record & ~BucketPage.LENGTH_MASK);
        yield page;
      }
      case "count" -> {
        bytes.putShort(2, (short) 3);
        yield page;
      }
      case "trailing" -> {
        byte[] longer = Arrays.copyOf(page, page.length + 2);
        longer[longer.length - 1] = 7;
        yield longer;
      }
      default -> throw new AssertionError(damage);
    };
    memory.update(root(), current -> damaged);
    long version = memory.read(root()).version();
    // A get's hit stops at its entry (damage after it is the next full decode's), so bytes after the last entry are
    // found by a miss, which checks the whole page.
    byte[] looked = damage.equals("trailing") ? key("none") : key("k");

    assertThatThrownBy(() -> store.get(looked)).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining(root().toString());
    assertThatThrownBy(() -> PagedEntryStoreTest.put(store, key("k"), key("w")))
        .isInstanceOf(StoreFormatException.class).hasMessageContaining(root().toString());
    assertThatThrownBy(() -> store.iterator().hasNext()).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining(root().toString());
    assertThat(memory.read(root()).version()).as("nothing written over the damage").isEqualTo(version);
  }

  @Test
  void damagedFingerprint_isNamedInTheMessage() {
    PagedEntryStoreTest.put(store, key("k"), key("v"));
    byte[] page = memory.read(root()).toByteArray();
    page[BucketPage.LEAF_HEADER] ^= (byte) 0x80;
    memory.update(root(), current -> page);
    assertThatThrownBy(() -> store.get(key("k"))).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining(root().toString()).hasMessageContaining("fingerprint");
  }

  /* ---- version 1 leaves ---- */

  @Test
  void version1Leaf_isRead_andRewrittenInVersion2ByItsNextWrite() {
    PagedEntryStoreTest.put(store, key("big"), PagedEntryStoreTest.filled(900, 1));
    Slot big = BucketPage.decode(root(), memory.read(root()), false).slots().get(0);
    memory.update(root(), current -> LeafEditTest.version1Leaf(java.util.List.of(
        Slot.inline(key("a"), key("1"), StoredEntry.NEVER), Slot.inline(key("b"), key("2"), 77), big)));

    assertThat(store.get(key("a")).value()).isEqualTo(key("1"));
    assertThat(store.get(key("b")).expiresAt()).isEqualTo(77);
    assertThat(store.get(key("big")).value()).isEqualTo(PagedEntryStoreTest.filled(900, 1));
    assertThat(store.get(key("none"))).isNull();
    assertThat(store.<String>read(key("b"), (bytes, offset, length, expiresAt) -> new String(bytes, offset, length,
        StandardCharsets.UTF_8))).isEqualTo("2");
    java.util.List<StoredEntry> walked = new java.util.ArrayList<>();
    store.iterator().forEachRemaining(walked::add);
    assertThat(walked).hasSize(3);

    PagedEntryStoreTest.put(store, key("a"), key("one"));

    assertThat(memory.read(root()).sharedBytes()[0]).isEqualTo((byte) BucketPage.FORMAT);
    assertThat(store.get(key("a")).value()).isEqualTo(key("one"));
    assertThat(store.get(key("b")).expiresAt()).isEqualTo(77);
    assertThat(store.get(key("big")).value()).isEqualTo(PagedEntryStoreTest.filled(900, 1));
  }

  @Test
  void version1Leaves_writtenBeforeARestart_areReadAfterIt() {
    node.close();
    node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE));
    PagedEntryStore persistent = PagedEntryStore.create(node.memory(), PAGE, Durability.PERSISTENT);
    GlobalAddress rootOf = persistent.rangeStart().plusPages(1, PAGE);
    node.memory().update(rootOf, current -> LeafEditTest.version1Leaf(java.util.List.of(
        Slot.inline(key("a"), key("1"), StoredEntry.NEVER), Slot.inline(key("b"), key("2"), 5))));
    node.close();

    node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE));
    PagedEntryStore reopened = PagedEntryStore.open(node.memory(), PAGE, persistent.rangeStart());
    assertThat(reopened.get(key("a")).value()).isEqualTo(key("1"));
    assertThat(reopened.get(key("b")).expiresAt()).isEqualTo(5);
    PagedEntryStoreTest.put(reopened, key("c"), key("3"));
    assertThat(reopened.get(key("a")).value()).isEqualTo(key("1"));
    assertThat(reopened.get(key("c")).value()).isEqualTo(key("3"));
  }

  @Test
  void bucketOfANewerFormat_isRefusedWithTheVersionsThisQuireReads() {
    PagedEntryStoreTest.put(store, key("k"), key("v"));
    byte[] page = memory.read(root()).toByteArray();
    page[0] = 3;
    memory.update(root(), current -> page);
    assertThatThrownBy(() -> store.get(key("k"))).isInstanceOf(StoreFormatException.class)
        .hasMessageContaining(root().toString()).hasMessageContaining("version 3")
        .hasMessageContaining("newer Quire");
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
