package io.quire.core.memory;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;

/**
 * Atomic read-modify-write of one page under its lock. A caller that holds the page's lock already (through {@link
 * Memory#lock}) keeps every other writer out for the whole call, so the lock is not taken a second time; a {@link
 * PageReplacement} is stored without a copy of the current page.
 */
final class UpdateHandler implements OperationHandler<Operation.Update, Page> {
  private final LocalPages pages;

  UpdateHandler(LocalPages pages) {
    this.pages = pages;
  }

  @Override
  public Page handle(Operation.Update op) {
    GlobalAddress base = op.address().pageBase(pages.pageSize);
    pages.structure.readLock().lock();
    try {
      pages.requireOpen();
      boolean held = pages.locks.isHeldByCurrentThread(base);
      if (!held) {
        pages.locks.lock(base);
      }
      try {
        Page current = pages.current(op.address());
        byte[] next = op.update() instanceof PageReplacement replacement
            ? replacement.content()
            : op.update().apply(current.toByteArray(pages.pageSize.bytes()));
        if (next == null) {
          throw new NullPointerException("the update of page " + base + " returned null; return the new content");
        }
        if (next.length > pages.pageSize.bytes()) {
          throw new PageOverflowException(base, 0, next.length, pages.pageSize);
        }
        return pages.store(current, next);
      } finally {
        if (!held) {
          pages.locks.unlock(base);
        }
      }
    } finally {
      pages.structure.readLock().unlock();
    }
  }
}
