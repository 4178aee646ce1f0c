package io.quire.core.memory;

/** Releases a page's lock held by the calling thread. */
final class UnlockHandler implements OperationHandler<Operation.Unlock, Void> {
  private final LocalPages pages;

  UnlockHandler(LocalPages pages) {
    this.pages = pages;
  }

  @Override
  public Void handle(Operation.Unlock op) {
    pages.locks.unlock(op.address().pageBase(pages.pageSize));
    return null;
  }
}
