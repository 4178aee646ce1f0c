package io.quire.core.memory;

import io.quire.core.directory.RangeEntry;

/** Unlinks a range from the directory, then drops its pages from both tiers. */
final class FreeHandler implements OperationHandler<Operation.Free, Void> {
  private final LocalPages pages;

  FreeHandler(LocalPages pages) {
    this.pages = pages;
  }

  @Override
  public Void handle(Operation.Free op) {
    pages.structure.writeLock().lock();
    try {
      pages.requireOpen();
      RangeEntry entry = pages.requireAllocated(op.rangeStart());
      if (!entry.range().start().equals(op.rangeStart())) {
        throw UnallocatedAddressException.notRangeStart(op.rangeStart());
      }
      // Directory first: once the entry is gone no new page-in can start, then the purge removes what is left.
      pages.directory.remove(op.rangeStart());
      pages.pager.removeRange(entry.range());
      return null;
    } finally {
      pages.structure.writeLock().unlock();
    }
  }
}
