package io.quire.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import org.junit.jupiter.api.Test;

class DirectoryPageTest {
  private static final PageSize SMALL = new PageSize(512);
  private static final GlobalAddress AT = new GlobalAddress(1, 0x2000);

  @Test
  void capacityIs102EntriesFor4KiBAnd12For512Bytes() {
    assertThat(DirectoryPage.capacity(PageSize.DEFAULT)).isEqualTo(102);
    assertThat(DirectoryPage.capacity(SMALL)).isEqualTo(12);
  }

  @Test
  void leafEntryRoundTripsThroughThePageBytes() {
    RangeEntry entry = new RangeEntry(new AddressRange(new GlobalAddress(-2, 512 * 9), 77, SMALL),
        new NodeId(-5), Durability.PERSISTENT);
    byte[] image = DirectoryPage.page(SMALL, 0, DirectoryPage.leafEntry(entry), 0, 1);

    DirectoryPage page = DirectoryPage.decode(AT, image, SMALL);

    assertThat(page.isLeaf()).isTrue();
    assertThat(page.count()).isEqualTo(1);
    assertThat(page.entryAt(0)).isEqualTo(entry);
  }

  @Test
  void decodingRejectsUnknownFormat() {
    byte[] image = DirectoryPage.emptyLeaf(SMALL);
    image[0] = 1;
    assertCorrupted(image, "unknown format");
  }

  @Test
  void decodingRejectsUnknownKind() {
    byte[] image = DirectoryPage.emptyLeaf(SMALL);
    image[1] = 7;
    assertCorrupted(image, "unknown page kind");
  }

  @Test
  void decodingRejectsCountBeyondCapacity() {
    byte[] image = DirectoryPage.emptyLeaf(SMALL);
    image[2] = (byte) 0xFF;
    assertCorrupted(image, "exceeds the capacity");
  }

  @Test
  void decodingRejectsTruncatedPages() {
    assertCorrupted(new byte[] {(byte) 0xD1, 0}, "truncated");
    byte[] header = {(byte) 0xD1, 0, 0, 3, 0, 0, 0, 0};
    assertCorrupted(header, "truncated");
  }

  @Test
  void decodingRejectsImpossibleLevelsAndMissingPages() {
    byte[] leafAboveZero = DirectoryPage.emptyLeaf(SMALL);
    leafAboveZero[4] = 2;
    assertCorrupted(leafAboveZero, "impossible level");
    assertCorrupted(null, "missing");
    assertCorrupted(new byte[1024], "longer than a page");
  }

  @Test
  void decodingRejectsABadDurabilityCodeWhenTheEntryIsRead() {
    RangeEntry entry = new RangeEntry(new AddressRange(GlobalAddress.of(512), 1, SMALL), new NodeId(1),
        Durability.VOLATILE);
    byte[] image = DirectoryPage.page(SMALL, 0, DirectoryPage.leafEntry(entry), 0, 1);
    image[8 + 32] = 9;
    DirectoryPage page = DirectoryPage.decode(AT, image, SMALL);

    assertThatThrownBy(() -> page.entryAt(0)).isInstanceOf(DirectoryCorruptedException.class)
        .hasMessageContaining(AT.toString()).hasMessageContaining("durability");
  }

  private static void assertCorrupted(byte[] image, String problem) {
    assertThatThrownBy(() -> DirectoryPage.decode(AT, image, SMALL))
        .isInstanceOf(DirectoryCorruptedException.class)
        .hasMessageContaining(AT.toString())
        .hasMessageContaining(problem);
  }
}
