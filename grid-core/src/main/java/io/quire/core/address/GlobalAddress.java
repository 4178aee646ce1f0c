package io.quire.core.address;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A byte address in the grid's 128-bit shared address space, unrelated to any JVM or OS address.
 *
 * <p>Ordering is unsigned over the full 128 bits. The address of a page is the address of its first byte, so a page
 * address is always a multiple of the page size.
 *
 * @param hi the upper 64 bits
 * @param lo the lower 64 bits
 */
public record GlobalAddress(long hi, long lo) implements Comparable<GlobalAddress> {

  /** The lowest address; the root directory page lives here. */
  public static final GlobalAddress ZERO = new GlobalAddress(0, 0);

  /** The highest address in the space. */
  public static final GlobalAddress MAX = new GlobalAddress(-1L, -1L);

  /** Bytes in the wire and disk form of an address. */
  public static final int BYTES = 16;

  /** An address whose upper 64 bits are zero. */
  public static GlobalAddress of(long lo) {
    return new GlobalAddress(0, lo);
  }

  /** The address {@code this + bytes}; throws if it would pass {@link #MAX}. */
  public GlobalAddress plus(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("cannot add a negative offset " + bytes + " to " + this);
    }
    return add(0, bytes);
  }

  /** The address {@code this + pages * pageSize}; throws if it would pass {@link #MAX}. */
  public GlobalAddress plusPages(long pages, PageSize pageSize) {
    if (pages < 0) {
      throw new IllegalArgumentException("cannot add a negative page count " + pages + " to " + this);
    }
    // pages * pageSize may need more than 64 bits: split it into the bits that land in hi and those that stay in lo.
    int shift = pageSize.shift();
    return add(shift == 0 ? 0 : pages >>> (64 - shift), pages << shift);
  }

  private GlobalAddress add(long addHi, long addLo) {
    long newLo = lo + addLo;
    long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
    long partialHi = hi + addHi;
    boolean overflow = Long.compareUnsigned(partialHi, hi) < 0 || (carry == 1 && partialHi == -1L);
    if (overflow) {
      throw new ArithmeticException(this + " + " + new GlobalAddress(addHi, addLo)
          + " overflows the 128-bit address space");
    }
    return new GlobalAddress(partialHi + carry, newLo);
  }

  /** The address of the page that holds this byte address. */
  public GlobalAddress pageBase(PageSize pageSize) {
    return new GlobalAddress(hi, lo & ~pageSize.offsetMask());
  }

  /** The offset of this address within its page. */
  public int offsetInPage(PageSize pageSize) {
    return (int) (lo & pageSize.offsetMask());
  }

  /** True when this address is the first byte of a page. */
  public boolean isPageAligned(PageSize pageSize) {
    return (lo & pageSize.offsetMask()) == 0;
  }

  /**
   * The page number, {@code address >> log2(pageSize)}. It needs up to {@code 128 - log2(pageSize)} bits, hence
   * the {@link BigInteger}; use {@link #pageNumberLow(PageSize)} where the upper half is known to be small.
   */
  public BigInteger pageNumber(PageSize pageSize) {
    return toBigInteger().shiftRight(pageSize.shift());
  }

  /** The low 64 bits of the page number. */
  public long pageNumberLow(PageSize pageSize) {
    int shift = pageSize.shift();
    return (lo >>> shift) | (shift == 0 ? 0 : hi << (64 - shift));
  }

  /** The number of pages from this page address up to {@code end} (exclusive), which must fit in a long. */
  public long pagesUntil(GlobalAddress end, PageSize pageSize) {
    BigInteger pages = end.toBigInteger().subtract(toBigInteger()).shiftRight(pageSize.shift());
    if (pages.signum() < 0 || pages.bitLength() > 63) {
      throw new ArithmeticException("page distance from " + this + " to " + end + " does not fit in a long");
    }
    return pages.longValue();
  }

  /** This address as an unsigned 128-bit integer. */
  public BigInteger toBigInteger() {
    byte[] bytes = new byte[BYTES + 1];
    writeTo(bytes, 1);
    return new BigInteger(bytes);
  }

  /** Writes the 16-byte big-endian form, whose unsigned byte order is the address order. */
  public void writeTo(byte[] target, int offset) {
    Objects.checkFromIndexSize(offset, BYTES, target.length);
    for (int i = 0; i < 8; i++) {
      target[offset + i] = (byte) (hi >>> (56 - 8 * i));
      target[offset + 8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
  }

  /** The 16-byte big-endian form. */
  public byte[] toBytes() {
    byte[] bytes = new byte[BYTES];
    writeTo(bytes, 0);
    return bytes;
  }

  /** Reads the 16-byte big-endian form written by {@link #writeTo}. */
  public static GlobalAddress readFrom(byte[] source, int offset) {
    Objects.checkFromIndexSize(offset, BYTES, source.length);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (source[offset + i] & 0xFF);
      lo = (lo << 8) | (source[offset + 8 + i] & 0xFF);
    }
    return new GlobalAddress(hi, lo);
  }

  @Override
  public int compareTo(GlobalAddress other) {
    int byHi = Long.compareUnsigned(hi, other.hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
  }

  /**
   * A mixed hash of both halves. The record's default ({@code 31 * hash(hi) + hash(lo)}) keeps the low bits of page
   * addresses, which are all zero below the page size, so hash tables keyed by page (the RAM tier's among them) put 16
   * consecutive 4 KiB pages in one bin and degrade those bins to trees.
   */
  @Override
  public int hashCode() {
    long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h;
  }

  /** Hex form {@code 0x<hi>_<lo>}, 32 digits, so addresses line up in logs. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "0x%016x_%016x", hi, lo);
  }
}
