package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.AddressRange;
import io.quire.core.address.PageSize;
import io.quire.core.memory.UnallocatedAddressException;
import io.quire.core.page.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values and keys of many pages, with the default 4 KiB pages: they round-trip, and every range is freed on time. */
class PagedEntryStoreLargeValuesTest {
  private static final PageSize PAGE = PageSize.DEFAULT;
  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  private GridNode node;
  private RecordingMemory memory;
  private PagedEntryStore store;

  @BeforeEach
  void open() {
    node = GridNode.open(GridConfig.defaults(dir).withRamBudgetBytes(32L * MIB));
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

  private AddressRange onlyRangeOf(PagedEntryStore of) {
    assertThat(of.outOfLineRanges()).hasSize(1);
    Ref ref = of.outOfLineRanges().get(0);
    return new ValueRanges(memory, PAGE, Durability.VOLATILE).rangeOf(ref);
  }

  private void assertFreed(AddressRange range) {
    assertThatThrownBy(() -> memory.read(range.start())).isInstanceOf(UnallocatedAddressException.class);
    assertThatThrownBy(() -> memory.read(range.page(range.pages() - 1)))
        .isInstanceOf(UnallocatedAddressException.class);
  }

  @Test
  void valuesOfSeveralMebibytes_roundTrip_andOverwriteAndRemoveFreeTheirRanges() {
    byte[] five = PagedEntryStoreTest.filled(5 * MIB + 17, 5);
    PagedEntryStoreTest.put(store, key("big"), five);
    AddressRange first = onlyRangeOf(store);
    assertThat(first.pages()).isEqualTo((5L * MIB + 17 + ValueRanges.HEADER + PAGE.bytes() - 1) / PAGE.bytes());

    assertThat(store.get(key("big")).value()).isEqualTo(five);

    byte[] three = PagedEntryStoreTest.filled(3 * MIB, 3);
    PagedEntryStoreTest.put(store, key("big"), three);
    AddressRange second = onlyRangeOf(store);
    assertFreed(first);
    assertThat(store.get(key("big")).value()).isEqualTo(three);

    PagedEntryStoreTest.remove(store, key("big"));
    assertFreed(second);
    assertThat(store.get(key("big"))).isNull();
    assertThat(memory.liveRanges()).containsOnly(store.rangeStart());
  }

  @Test
  void overwriteWithASmallValue_bringsItBackInLine_andFreesTheRange() {
    PagedEntryStoreTest.put(store, key("k"), PagedEntryStoreTest.filled(100_000, 1));
    AddressRange range = onlyRangeOf(store);

    PagedEntryStoreTest.put(store, key("k"), key("small"));

    assertFreed(range);
    assertThat(store.outOfLineRanges()).isEmpty();
    assertThat(store.get(key("k")).value()).isEqualTo(key("small"));
  }

  @Test
  void aKibibyteValueWithASmallKey_staysInLine_soAGetReadsOnePage() {
    byte[] value = PagedEntryStoreTest.filled(1024 + 16, 3); // a 1 KiB byte[] and Kryo's framing, with room to spare
    PagedEntryStoreTest.put(store, key("k"), value);
    PagedEntryStoreTest.put(store, key("l"), value);

    assertThat(store.outOfLineRanges()).isEmpty();
    assertThat(store.get(key("k")).value()).isEqualTo(value);
  }

  @Test
  void keysTooLargeForABucket_goOutOfLineWithTheirValue() {
    byte[] bigKey = PagedEntryStoreTest.filled(3 * PAGE.bytes(), 9);
    byte[] otherBigKey = PagedEntryStoreTest.filled(3 * PAGE.bytes(), 10);
    PagedEntryStoreTest.put(store, bigKey, key("v"));
    PagedEntryStoreTest.put(store, otherBigKey, PagedEntryStoreTest.filled(2 * MIB, 2));

    assertThat(store.get(bigKey).value()).isEqualTo(key("v"));
    assertThat(store.get(bigKey).key()).isEqualTo(bigKey);
    assertThat(store.get(otherBigKey).value()).isEqualTo(PagedEntryStoreTest.filled(2 * MIB, 2));
    List<byte[]> walked = new ArrayList<>();
    store.iterator().forEachRemaining(entry -> walked.add(entry.key()));
    assertThat(walked).containsExactlyInAnyOrder(bigKey, otherBigKey);

    store.clear();
    assertThat(memory.liveRanges()).containsOnly(store.rangeStart());
  }

  @Test
  void persistentMultiPageValue_survivesARestart() {
    PagedEntryStore persistent = PagedEntryStore.create(memory, PAGE, Durability.PERSISTENT);
    byte[] value = PagedEntryStoreTest.filled(40_000, 4);
    PagedEntryStoreTest.put(persistent, key("k"), value);
    node.close();
    node = GridNode.open(GridConfig.defaults(dir));

    assertThat(PagedEntryStore.open(node.memory(), PAGE, persistent.rangeStart()).get(key("k")).value())
        .isEqualTo(value);
  }
}
