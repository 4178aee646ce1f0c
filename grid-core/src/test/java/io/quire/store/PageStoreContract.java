package io.quire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreClosedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PageStore} must have, whatever tier it is. A tier's test extends this class and supplies
 * a fresh, empty store with pages of {@link #PAGE_SIZE}.
 */
public abstract class PageStoreContract {

  /** The page size the stores under test must be made with. */
  protected static final PageSize PAGE_SIZE = PageSize.DEFAULT;

  protected PageStore store;

  /** A new, empty store using {@link #PAGE_SIZE}; the contract closes it after each test. */
  protected abstract PageStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** The address of page number {@code n}. */
  protected static GlobalAddress pageAt(long n) {
    return GlobalAddress.ZERO.plusPages(n, PAGE_SIZE);
  }

  /** A page at page number {@code n} whose bytes spell {@code text}. */
  protected static Page page(long n, long version, String text) {
    return Page.of(pageAt(n), version, false, false, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void read_afterWrite_returnsSameContent() {
    Page written = Page.of(pageAt(3), 7, true, true, new byte[] {1, 2, 3, 4});

    store.write(written);

    Page read = store.read(pageAt(3));
    assertThat(read).isNotNull();
    assertThat(read.sameContentAs(written)).isTrue();
    assertThat(read.version()).isEqualTo(7);
    assertThat(read.isVolatile()).isTrue();
    assertThat(read.checksum()).isEqualTo(written.checksum());
  }

  @Test
  void read_fullPage_returnsAllBytes() {
    byte[] data = new byte[PAGE_SIZE.bytes()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    store.write(Page.of(pageAt(1), 1, false, false, data));

    assertThat(store.read(pageAt(1)).toByteArray()).isEqualTo(data);
  }

  @Test
  void read_emptyPage_returnsZeroLengthPage() {
    store.write(Page.of(pageAt(1), 0, false, false, new byte[0]));

    assertThat(store.read(pageAt(1)).length()).isZero();
  }

  @Test
  void read_absentPage_returnsNull() {
    store.write(page(1, 1, "neighbour"));

    assertThat(store.read(pageAt(0))).isNull();
    assertThat(store.read(pageAt(2))).isNull();
  }

  @Test
  void read_addressWithHighBitsSet_isKeptApartFromLowAddresses() {
    GlobalAddress high = new GlobalAddress(1, 0);
    store.write(Page.of(high, 1, false, false, new byte[] {9}));

    assertThat(store.read(GlobalAddress.ZERO)).isNull();
    assertThat(store.read(high).byteAt(0)).isEqualTo((byte) 9);
  }

  @Test
  void write_samePageTwice_keepsTheLatest() {
    store.write(page(5, 1, "first"));
    store.write(page(5, 2, "second, longer"));

    Page read = store.read(pageAt(5));
    assertThat(read.version()).isEqualTo(2);
    assertThat(new String(read.toByteArray(), StandardCharsets.UTF_8)).isEqualTo("second, longer");
    assertThat(store.pageCount()).isEqualTo(1);
  }

  @Test
  void writeLazily_thenRead_seesThePage() {
    store.writeLazily(page(2, 4, "lazy"));

    assertThat(store.read(pageAt(2)).version()).isEqualTo(4);
  }

  @Test
  void write_nullPage_throwsNullPointer() {
    assertThatNullPointerException().isThrownBy(() -> store.write(null));
    assertThatNullPointerException().isThrownBy(() -> store.writeLazily(null));
    assertThatNullPointerException().isThrownBy(() -> store.read(null));
    assertThatNullPointerException().isThrownBy(() -> store.remove(null));
    assertThatNullPointerException().isThrownBy(() -> store.removeRange(null));
  }

  @Test
  void remove_presentPage_returnsTrueAndForgetsIt() {
    store.write(page(1, 1, "a"));
    store.write(page(2, 1, "b"));

    assertThat(store.remove(pageAt(1))).isTrue();

    assertThat(store.read(pageAt(1))).isNull();
    assertThat(store.read(pageAt(2))).isNotNull();
    assertThat(store.pageCount()).isEqualTo(1);
  }

  @Test
  void remove_absentPage_returnsFalse() {
    store.write(page(1, 1, "a"));

    assertThat(store.remove(pageAt(2))).isFalse();
    assertThat(store.pageCount()).isEqualTo(1);
  }

  @Test
  void removeRange_removesExactlyThePagesInside() {
    for (long n = 0; n < 10; n++) {
      store.write(page(n, 1, "page " + n));
    }

    long removed = store.removeRange(new AddressRange(pageAt(3), 4, PAGE_SIZE));

    assertThat(removed).isEqualTo(4);
    for (long n = 3; n < 7; n++) {
      assertThat(store.read(pageAt(n))).as("page %d, inside the range", n).isNull();
    }
    assertThat(store.read(pageAt(2))).as("the page just before the range").isNotNull();
    assertThat(store.read(pageAt(7))).as("the page just after the range").isNotNull();
    assertThat(store.pageCount()).isEqualTo(6);
  }

  @Test
  void removeRange_countsOnlyPagesThatWereThere() {
    store.write(page(1, 1, "a"));
    store.write(page(4, 1, "b"));
    store.write(page(9, 1, "outside"));

    assertThat(store.removeRange(new AddressRange(pageAt(0), 9, PAGE_SIZE))).isEqualTo(2);
    assertThat(store.removeRange(new AddressRange(pageAt(0), 9, PAGE_SIZE))).isZero();
    assertThat(store.read(pageAt(9))).isNotNull();
  }

  @Test
  void removeRange_spanningTheLowWordBoundary_removesPagesOnBothSides() {
    GlobalAddress lastLow = new GlobalAddress(0, -PAGE_SIZE.bytes());
    GlobalAddress firstHigh = new GlobalAddress(1, 0);
    store.write(Page.of(lastLow, 1, false, false, new byte[] {1}));
    store.write(Page.of(firstHigh, 1, false, false, new byte[] {2}));
    store.write(Page.of(GlobalAddress.ZERO, 1, false, false, new byte[] {3}));

    assertThat(store.removeRange(new AddressRange(lastLow, 2, PAGE_SIZE))).isEqualTo(2);
    assertThat(store.read(GlobalAddress.ZERO)).isNotNull();
  }

  @Test
  void pageCount_countsDistinctPages() {
    assertThat(store.pageCount()).isZero();

    store.write(page(1, 1, "a"));
    store.write(page(2, 1, "b"));
    store.writeLazily(page(3, 1, "c"));
    store.write(page(1, 2, "a again"));

    assertThat(store.pageCount()).isEqualTo(3);
  }

  @Test
  void addresses_listsEveryPageHeldInAddressOrder() {
    store.write(page(5, 1, "e"));
    store.write(page(1, 1, "a"));
    store.writeLazily(page(3, 1, "c"));
    store.write(page(1, 2, "a again"));
    store.remove(pageAt(5));
    GlobalAddress high = new GlobalAddress(7, 0);
    store.write(Page.of(high, 1, false, false, new byte[] {1}));

    assertThat(store.addresses()).containsExactly(pageAt(1), pageAt(3), high);
  }

  @Test
  void flush_keepsPagesReadable() {
    store.writeLazily(page(1, 1, "a"));

    store.flush();

    assertThat(store.read(pageAt(1))).isNotNull();
  }

  @Test
  void close_twice_isHarmless() {
    store.close();
    store.close();
  }

  @Test
  void anyCall_afterClose_throwsStoreClosed() {
    store.write(page(1, 1, "a"));
    store.close();

    assertThatThrownBy(() -> store.read(pageAt(1))).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> store.write(page(2, 1, "b"))).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> store.writeLazily(page(2, 1, "b"))).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> store.remove(pageAt(1))).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> store.removeRange(new AddressRange(pageAt(0), 2, PAGE_SIZE)))
        .isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(store::flush).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(store::pageCount).isInstanceOf(StoreClosedException.class);
  }
}
