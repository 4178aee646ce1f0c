package io.quire.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobalAddressTest {
  private static final PageSize FOUR_K = PageSize.DEFAULT;

  @Test
  void compareTo_ordersUnsignedOverAll128Bits() {
    List<GlobalAddress> sorted = List.of(GlobalAddress.ZERO, GlobalAddress.of(1), GlobalAddress.of(-1L),
        new GlobalAddress(1, 0), new GlobalAddress(Long.MAX_VALUE, -1L), new GlobalAddress(Long.MIN_VALUE, 0),
        GlobalAddress.MAX);
    List<GlobalAddress> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, new Random(7));
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(sorted);
  }

  @Test
  void compareTo_agreesWithBigIntegerAndBytes() {
    Random random = new Random(42);
    for (int i = 0; i < 1_000; i++) {
      GlobalAddress a = new GlobalAddress(random.nextLong() >>> random.nextInt(64), random.nextLong());
      GlobalAddress b = new GlobalAddress(random.nextLong() >>> random.nextInt(64), random.nextLong());
      assertThat(Integer.signum(a.compareTo(b))).isEqualTo(a.toBigInteger().compareTo(b.toBigInteger()));
      assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(unsignedCompare(a.toBytes(), b.toBytes())));
    }
  }

  @Test
  void plus_carriesIntoHighHalf() {
    assertThat(GlobalAddress.of(-1L).plus(1)).isEqualTo(new GlobalAddress(1, 0));
  }

  @Test
  void plus_pastMax_throws() {
    assertThatThrownBy(() -> GlobalAddress.MAX.plus(1)).isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("overflows");
  }

  @Test
  void plusPages_matchesBigIntegerArithmetic() {
    GlobalAddress start = new GlobalAddress(3, -4096L * 5);
    long pages = Long.MAX_VALUE / 3;
    BigInteger expected = start.toBigInteger().add(BigInteger.valueOf(pages).shiftLeft(12));
    assertThat(start.plusPages(pages, FOUR_K).toBigInteger()).isEqualTo(expected);
  }

  @Test
  void pageBaseAndOffset_splitAnAddress() {
    GlobalAddress address = new GlobalAddress(9, 3 * 4096L + 100);
    assertThat(address.pageBase(FOUR_K)).isEqualTo(new GlobalAddress(9, 3 * 4096L));
    assertThat(address.offsetInPage(FOUR_K)).isEqualTo(100);
    assertThat(address.isPageAligned(FOUR_K)).isFalse();
    assertThat(address.pageBase(FOUR_K).isPageAligned(FOUR_K)).isTrue();
  }

  @Test
  void pageNumber_isAddressShiftedByLog2PageSize() {
    GlobalAddress address = new GlobalAddress(1, 8192 + 5);
    assertThat(address.pageNumber(FOUR_K)).isEqualTo(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(8197))
        .shiftRight(12));
    assertThat(address.pageNumberLow(FOUR_K)).isEqualTo((1L << 52) + 2);
  }

  @Test
  void bytes_roundTrip() {
    GlobalAddress address = new GlobalAddress(0x0123456789abcdefL, 0xfedcba9876543210L);
    assertThat(GlobalAddress.readFrom(address.toBytes(), 0)).isEqualTo(address);
  }

  @Test
  void pagesUntil_countsWholePages() {
    GlobalAddress start = new GlobalAddress(1, 0);
    assertThat(start.pagesUntil(start.plusPages(12345, FOUR_K), FOUR_K)).isEqualTo(12345);
  }

  private static int unsignedCompare(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }

  @Test
  void consecutivePagesSpreadOverHashBins() {
    // A table of 2048 bins (ConcurrentHashMap spreads the hash's high bits into the low ones) must see most of 1024
    // consecutive page addresses in bins of their own, not 16 to a bin as with the record's default hash.
    java.util.Set<Integer> bins = new java.util.HashSet<>();
    for (long page = 0; page < 1024; page++) {
      int h = GlobalAddress.of(page * FOUR_K.bytes()).hashCode();
      bins.add((h ^ (h >>> 16)) & 2047);
    }
    assertThat(bins.size()).isGreaterThan(600);
    assertThat(new GlobalAddress(1, 4096)).isEqualTo(new GlobalAddress(1, 4096))
        .hasSameHashCodeAs(new GlobalAddress(1, 4096));
  }
}
