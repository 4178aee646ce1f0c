package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** The byte format of the cluster catalog's bucket pages, and its strict decoding. */
class CatalogPageTest {
  private static final int PAGE = PageSize.DEFAULT.bytes();
  private static final int BUCKETS = PageCacheCatalog.BUCKETS;

  private static String nameIn(int bucket, String prefix) {
    for (int i = 0; ; i++) {
      String name = prefix + i;
      if (PageCacheCatalog.bucketOf(name, BUCKETS) == bucket) {
        return name;
      }
    }
  }

  private static final int BUCKET = 7;
  private static final GlobalAddress ADDRESS = new AddressSpaceLayout(PageSize.DEFAULT).clusterPage(BUCKET);
  private static final CatalogEntry ORDERS = new CatalogEntry(nameIn(BUCKET, "orders-"), new GlobalAddress(0x5a, 0x4000),
      "java.lang.Long", "com.example.Order", Durability.PERSISTENT);
  private static final CatalogEntry SESSIONS = new CatalogEntry(nameIn(BUCKET, "sessions-"),
      new GlobalAddress(-3, 0), "java.lang.String", "java.lang.Object", Durability.VOLATILE);

  @Test
  void encodeThenDecode_returnsTheEntriesInOrder() {
    byte[] page = CatalogPage.encode(BUCKET, List.of(ORDERS, SESSIONS), PAGE);
    assertThat(page).hasSize(PAGE);
    assertThat(CatalogPage.decode(ADDRESS, BUCKET, BUCKETS, page)).containsExactly(ORDERS, SESSIONS);
  }

  @Test
  void aPageNeverWritten_holdsNoEntry_evenWhenShorterThanAPage() {
    assertThat(CatalogPage.decode(ADDRESS, BUCKET, BUCKETS, new byte[PAGE])).isEmpty();
    assertThat(CatalogPage.decode(ADDRESS, BUCKET, BUCKETS, new byte[0])).isEmpty();
  }

  @Test
  void entriesThatDoNotFit_encodeToNull() {
    List<CatalogEntry> many = new ArrayList<>();
    for (int i = 0; CatalogPage.encode(BUCKET, many, PAGE) != null; i++) {
      many.add(new CatalogEntry(nameIn(BUCKET, "cache-" + i + "-"), new GlobalAddress(1, i), "java.lang.String",
          "java.lang.String", Durability.VOLATILE));
    }
    assertThat(many.size()).as("entries before the page overflowed").isGreaterThan(40);
  }

  @Test
  void aForeignPage_isRefusedNamingItsAddress() {
    byte[] page = new byte[PAGE];
    page[0] = 'X';
    assertRefused(page, "does not start with the catalog's magic");
  }

  @Test
  void aNewerFormat_isRefused() {
    byte[] page = CatalogPage.encode(BUCKET, List.of(ORDERS), PAGE);
    page[4] = 2;
    assertRefused(page, "format 2 is not one this version reads");
  }

  @Test
  void anotherBucketsPage_isRefused() {
    byte[] page = CatalogPage.encode(BUCKET + 1, List.of(), PAGE);
    assertRefused(page, "says it is bucket " + (BUCKET + 1));
  }

  @Test
  void aNameThatHashesElsewhere_isRefused() {
    CatalogEntry stray = new CatalogEntry(nameIn(BUCKET + 1, "stray-"), new GlobalAddress(2, 0), "a", "b",
        Durability.VOLATILE);
    assertRefused(CatalogPage.encode(BUCKET, List.of(stray), PAGE), "belongs in bucket " + (BUCKET + 1));
  }

  @Test
  void aNameRecordedTwice_isRefused() {
    assertRefused(CatalogPage.encode(BUCKET, List.of(ORDERS, ORDERS), PAGE), "recorded twice");
  }

  @Test
  void aCountBeyondTheEntries_isRefused() {
    byte[] page = CatalogPage.encode(BUCKET, List.of(ORDERS), PAGE);
    ByteBuffer.wrap(page).putShort(7, (short) 2);
    assertRefused(page, "has length 0");
  }

  @Test
  void bytesAfterTheLastEntry_areRefused() {
    byte[] page = CatalogPage.encode(BUCKET, List.of(ORDERS), PAGE);
    page[PAGE - 1] = 1;
    assertRefused(page, "non-zero bytes follow the last of its 1 entries, at offset " + (PAGE - 1));
  }

  @Test
  void aBadDurabilityOrTruncatedEntry_isRefused() {
    byte[] page = CatalogPage.encode(BUCKET, List.of(ORDERS), PAGE);
    int durabilityAt = CatalogPage.HEADER_BYTES + 2 + ORDERS.name().length() + 16;
    page[durabilityAt] = 5;
    assertRefused(page, "durability 5");
    byte[] cut = java.util.Arrays.copyOf(CatalogPage.encode(BUCKET, List.of(ORDERS), PAGE), durabilityAt);
    assertRefused(cut, "run past the end of the page");
  }

  private static void assertRefused(byte[] page, String problem) {
    assertThatThrownBy(() -> CatalogPage.decode(ADDRESS, BUCKET, BUCKETS, page)).isInstanceOf(CacheException.class)
        .hasMessageContaining("cache catalog page " + ADDRESS + " is damaged")
        .hasMessageContaining(problem);
  }
}
