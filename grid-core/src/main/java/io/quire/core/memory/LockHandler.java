package io.quire.core.memory;


/** Takes a page's lock for the calling thread, once the page is known to be allocated. */
final class LockHandler implements OperationHandler<Operation.Lock, Void> {
  private final LocalPages pages;

  LockHandler(LocalPages pages) {
    this.pages = pages;
  }

  @Override
  public Void handle(Operation.Lock op) {
    pages.requireAllocated(op.address());
    pages.locks.lock(op.address().pageBase(pages.pageSize));
    return null;
  }
}
