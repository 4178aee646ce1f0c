package io.quire.core.memory;

import io.quire.core.page.Page;

/** Reads a page: a RAM hit stays on the caller's thread and touches neither the directory nor a lock. */
final class ReadHandler implements OperationHandler<Operation.Read, Page> {
  private final LocalPages pages;

  ReadHandler(LocalPages pages) {
    this.pages = pages;
  }

  @Override
  public Page handle(Operation.Read op) {
    return pages.current(op.address());
  }
}
