package io.quire.core.memory;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import java.util.Arrays;

/** Writes bytes into a page at the address's offset, keeping the rest of the page. */
final class WriteHandler implements OperationHandler<Operation.Write, Page> {
  private final LocalPages pages;

  WriteHandler(LocalPages pages) {
    this.pages = pages;
  }

  @Override
  public Page handle(Operation.Write op) {
    GlobalAddress address = op.address();
    byte[] bytes = op.bytes();
    int offset = address.offsetInPage(pages.pageSize);
    if ((long) offset + bytes.length > pages.pageSize.bytes()) {
      throw new PageOverflowException(address, offset, bytes.length, pages.pageSize);
    }
    GlobalAddress base = address.pageBase(pages.pageSize);
    pages.structure.readLock().lock();
    try {
      pages.requireOpen();
      pages.locks.lock(base);
      try {
        Page current = pages.current(address);
        return pages.store(current, merge(current, offset, bytes));
      } finally {
        pages.locks.unlock(base);
      }
    } finally {
      pages.structure.readLock().unlock();
    }
  }

  private static byte[] merge(Page current, int offset, byte[] bytes) {
    if (offset == 0 && bytes.length >= current.length()) {
      return bytes.clone();
    }
    byte[] merged = Arrays.copyOf(current.toByteArray(), Math.max(current.length(), offset + bytes.length));
    System.arraycopy(bytes, 0, merged, offset, bytes.length);
    return merged;
  }
}
