package io.quire.core.address;

import static java.util.Objects.requireNonNull;

/**
 * Hands out page ranges of one region of the address space to address consumers (caches, the directory itself),
 * never handing out an address twice, across restarts too.
 *
 * <p>It claims the region in chunks of its <em>spanning unit</em> and records only the end of the claimed part
 * durably, before any address of a new chunk is handed out. After a restart it resumes at that recorded end, so the
 * unused tail of the last chunk is skipped rather than reused: nothing that may still point into it (a reference
 * written before the crash) can ever see a different allocation there. The cost is one durable write per chunk,
 * not per range.
 *
 * <p>Concurrency: all state is guarded by {@code this}.
 */
public final class AddressGenerator {

  /** Where the generator records the end of its claimed part; the memory layer keeps it in a persistent page. */
  public interface ClaimRecord {
    /** The recorded end of the claimed part, or null on a fresh grid. */
    GlobalAddress load();

    /** Records {@code claimedEnd} durably before returning. */
    void store(GlobalAddress claimedEnd);
  }

  private final ClaimRecord record;
  private final GlobalAddress regionEnd;
  private final long spanningUnitPages;
  private final PageSize pageSize;
  private GlobalAddress next;
  private GlobalAddress claimedEnd;

  /**
   * @param region the pages this generator hands out
   * @param spanningUnitPages how many pages one durable claim covers
   */
  public AddressGenerator(ClaimRecord record, AddressRange region, long spanningUnitPages) {
    this.record = requireNonNull(record, "record");
    if (spanningUnitPages < 1) {
      throw new IllegalArgumentException("spanning unit must be at least one page, not " + spanningUnitPages);
    }
    this.pageSize = region.pageSize();
    this.regionEnd = region.end();
    this.spanningUnitPages = spanningUnitPages;
    GlobalAddress recorded = record.load();
    if (recorded != null && (!region.contains(recorded) && !recorded.equals(regionEnd))) {
      throw new IllegalStateException("recorded claim end " + recorded + " lies outside the generator's region "
          + region + ": the grid's address layout changed or its state page is damaged");
    }
    this.next = recorded != null ? recorded : region.start();
    this.claimedEnd = this.next;
  }

  /**
   * A fresh range of {@code pages} pages.
   *
   * @throws AddressSpaceExhaustedException if the region has no room left
   */
  public synchronized AddressRange next(long pages) {
    if (pages < 1) {
      throw new IllegalArgumentException("cannot allocate " + pages + " pages: a range holds at least one");
    }
    GlobalAddress end;
    try {
      end = next.plusPages(pages, pageSize);
    } catch (ArithmeticException overflow) {
      throw new AddressSpaceExhaustedException(pages, next, regionEnd);
    }
    if (end.compareTo(regionEnd) > 0) {
      throw new AddressSpaceExhaustedException(pages, next, regionEnd);
    }
    if (end.compareTo(claimedEnd) > 0) {
      claim(end);
    }
    AddressRange range = new AddressRange(next, pages, pageSize);
    next = end;
    return range;
  }

  /** Extends the claim by whole spanning units until it covers {@code needed}, recording it before use. */
  private void claim(GlobalAddress needed) {
    long missing = claimedEnd.pagesUntil(needed, pageSize);
    long units = (missing + spanningUnitPages - 1) / spanningUnitPages;
    GlobalAddress newEnd;
    try {
      newEnd = claimedEnd.plusPages(Math.multiplyExact(units, spanningUnitPages), pageSize);
    } catch (ArithmeticException overflow) {
      newEnd = regionEnd;
    }
    if (newEnd.compareTo(regionEnd) > 0) {
      newEnd = regionEnd;
    }
    record.store(newEnd);
    claimedEnd = newEnd;
  }

  /** The first address not yet handed out. */
  public synchronized GlobalAddress nextFree() {
    return next;
  }

  /** The end of the durably claimed part. */
  public synchronized GlobalAddress claimedEnd() {
    return claimedEnd;
  }
}
