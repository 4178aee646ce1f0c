package io.quire.core.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import org.junit.jupiter.api.Test;

class PageTest {
  private static final GlobalAddress AT = new GlobalAddress(1, 4096);

  @Test
  void of_copiesTheCallersArray() {
    byte[] bytes = {1, 2, 3};
    Page page = Page.of(AT, 1, false, false, bytes);
    bytes[0] = 9;
    assertThat(page.byteAt(0)).isEqualTo((byte) 1);
  }

  @Test
  void byteAt_pastLength_readsZero() {
    Page page = Page.of(AT, 1, false, false, new byte[] {5});
    assertThat(page.byteAt(4000)).isZero();
    assertThat(page.toByteArray(4096)).hasSize(4096);
  }

  @Test
  void restore_withMatchingChecksum_returnsPage() {
    Page page = Page.of(AT, 7, false, true, new byte[] {1, 2, 3});
    Page restored = Page.restore(AT, 7, false, true, page.checksum(), new byte[] {1, 2, 3});
    assertThat(restored.sameContentAs(page)).isTrue();
  }

  @Test
  void restore_withFlippedByte_throwsNamingTheAddress() {
    Page page = Page.of(AT, 7, false, false, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Page.restore(AT, 7, false, false, page.checksum(), new byte[] {1, 2, 4}))
        .isInstanceOf(PageChecksumMismatch.class).hasMessageContaining(AT.toString());
  }

  @Test
  void checksum_coversVersionAddressAndVolatileBit() {
    byte[] bytes = {1, 2, 3};
    int base = Page.of(AT, 1, false, false, bytes).checksum();
    assertThat(Page.of(AT, 2, false, false, bytes).checksum()).isNotEqualTo(base);
    assertThat(Page.of(AT.plus(4096), 1, false, false, bytes).checksum()).isNotEqualTo(base);
    assertThat(Page.of(AT, 1, false, true, bytes).checksum()).isNotEqualTo(base);
    assertThat(Page.of(AT, 1, true, false, bytes).checksum()).isEqualTo(base);
  }

  @Test
  void withDirty_keepsContentAndChecksum() {
    Page page = Page.of(AT, 3, false, true, new byte[] {4});
    Page dirty = page.withDirty(true);
    assertThat(dirty.isDirty()).isTrue();
    assertThat(dirty.sameContentAs(page)).isTrue();
    assertThat(dirty.checksum()).isEqualTo(page.checksum());
  }

  @Test
  void adopt_negativeVersion_throws() {
    assertThatThrownBy(() -> Page.adopt(AT, -1, false, false, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
