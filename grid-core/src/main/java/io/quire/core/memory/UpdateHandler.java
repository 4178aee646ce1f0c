package io.quire.core.memory;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;

/** Atomic read-modify-write of one page under its lock. */
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
      pages.locks.lock(base);
      try {
        Page current = pages.current(op.address());
        byte[] next = op.update().apply(current.toByteArray(pages.pageSize.bytes()));
        if (next == null) {
          throw new NullPointerException("the update of page " + base + " returned null; return the new content");
        }
        if (next.length > pages.pageSize.bytes()) {
          throw new PageOverflowException(base, 0, next.length, pages.pageSize);
        }
        return pages.store(current, next);
      } finally {
        pages.locks.unlock(base);
      }
    } finally {
      pages.structure.readLock().unlock();
    }
  }
}
