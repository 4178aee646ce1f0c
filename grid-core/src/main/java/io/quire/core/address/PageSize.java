package io.quire.core.address;

/**
 * The grid's page size: a power of two, fixed for the life of a grid (it is part of every address computation and
 * of the disk format), 4 KiB unless the grid is configured otherwise.
 *
 * @param bytes the page size in bytes
 */
public record PageSize(int bytes) {

  /** The smallest page a directory page can be: it must hold enough entries for the tree to branch. */
  public static final int MIN_BYTES = 512;

  /** The largest page size: larger pages make every invalidation and transfer needlessly heavy. */
  public static final int MAX_BYTES = 1 << 20;

  /** 4 KiB, the default. */
  public static final PageSize DEFAULT = new PageSize(4096);

  /**
   * @throws InvalidPageSizeException if {@code bytes} is not a power of two between {@link #MIN_BYTES} and
   *     {@link #MAX_BYTES}
   */
  public PageSize {
    if (bytes < MIN_BYTES || bytes > MAX_BYTES || Integer.bitCount(bytes) != 1) {
      throw new InvalidPageSizeException(bytes);
    }
  }

  /** {@code log2(bytes)}. */
  public int shift() {
    return Integer.numberOfTrailingZeros(bytes);
  }

  /** The mask of the offset bits within a page. */
  public long offsetMask() {
    return bytes - 1L;
  }

  @Override
  public String toString() {
    return bytes + " bytes";
  }
}
