package io.quire.core.address;

import static java.util.Objects.requireNonNull;

/**
 * A run of whole pages in the address space: {@code [start, start + pages * pageSize)}.
 *
 * @param start the address of the first page; page-aligned
 * @param pages how many pages, at least one
 * @param pageSize the grid's page size
 */
public record AddressRange(GlobalAddress start, long pages, PageSize pageSize) {

  public AddressRange {
    requireNonNull(start, "start");
    requireNonNull(pageSize, "pageSize");
    if (pages < 1) {
      throw new IllegalArgumentException("a range holds at least one page, not " + pages);
    }
    if (!start.isPageAligned(pageSize)) {
      throw new IllegalArgumentException("range start " + start + " is not aligned to a page of " + pageSize);
    }
    // Computing the end checks that the range fits in the address space.
    start.plusPages(pages, pageSize);
  }

  /** The first address after the range. */
  public GlobalAddress end() {
    return start.plusPages(pages, pageSize);
  }

  /** True when {@code address} lies inside the range. */
  public boolean contains(GlobalAddress address) {
    return address.compareTo(start) >= 0 && address.compareTo(end()) < 0;
  }

  /** The address of the {@code index}-th page of the range. */
  public GlobalAddress page(long index) {
    if (index < 0 || index >= pages) {
      throw new IndexOutOfBoundsException("page " + index + " of a range of " + pages + " pages");
    }
    return start.plusPages(index, pageSize);
  }

  @Override
  public String toString() {
    return "[" + start + ", +" + pages + " pages)";
  }
}
