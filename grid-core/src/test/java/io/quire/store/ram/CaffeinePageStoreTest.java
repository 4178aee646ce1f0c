package io.quire.store.ram;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import io.quire.spi.store.PageStore;
import io.quire.store.PageStoreContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaffeinePageStoreTest extends PageStoreContract {
  private final List<Page> spilled = new ArrayList<>();

  @Override
  protected PageStore newStore() {
    return new CaffeinePageStore(64L << 20, spilled::add);
  }

  private static Page fullPage(long n, boolean dirty) {
    return Page.of(pageAt(n), 1, dirty, true, new byte[PAGE_SIZE.bytes()]);
  }

  @Test
  void write_beyondBudget_keepsWeightWithinBudget() {
    long budget = 8L * (PAGE_SIZE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES);
    CaffeinePageStore ram = new CaffeinePageStore(budget, spilled::add);
    for (int i = 0; i < 100; i++) {
      ram.write(fullPage(i, false));
      assertThat(ram.weightedBytes()).isLessThanOrEqualTo(budget);
    }
    assertThat(ram.pageCount()).isLessThanOrEqualTo(8);
  }

  @Test
  void eviction_ofDirtyPages_spillsEachOneNotEvictedCleanOnes() {
    long budget = 4L * (PAGE_SIZE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES);
    CaffeinePageStore ram = new CaffeinePageStore(budget, spilled::add);
    for (int i = 0; i < 50; i++) {
      ram.write(fullPage(i, i % 2 == 0));
    }
    ram.weightedBytes();
    Set<GlobalAddress> resident = new HashSet<>();
    ram.forEachResident(page -> resident.add(page.address()));
    for (int i = 0; i < 50; i += 2) {
      // Every dirty page is either still resident or was handed to the spill: none vanished.
      GlobalAddress address = pageAt(i);
      boolean wasSpilled = spilled.stream().anyMatch(p -> p.address().equals(address));
      assertThat(resident.contains(address) || wasSpilled).as("dirty page %s kept", address).isTrue();
    }
    assertThat(spilled).allMatch(Page::isDirty);
  }

  @Test
  void getOrLoad_whenResident_doesNotLoad() {
    CaffeinePageStore ram = new CaffeinePageStore(1 << 20, spilled::add);
    Page resident = fullPage(1, true);
    ram.write(resident);
    assertThat(ram.getOrLoad(pageAt(1), address -> {
      throw new AssertionError("loaded although resident");
    })).isSameAs(resident);
  }

  @Test
  void replace_afterNewerWrite_leavesTheNewerPage() {
    CaffeinePageStore ram = new CaffeinePageStore(1 << 20, spilled::add);
    Page old = fullPage(1, true);
    Page newer = Page.of(pageAt(1), 2, true, true, new byte[] {1});
    ram.write(old);
    ram.write(newer);
    assertThat(ram.replace(old, old.withDirty(false))).isFalse();
    assertThat(ram.read(pageAt(1))).isSameAs(newer);
  }
}
