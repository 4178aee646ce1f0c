package io.quire.core.memory;

import io.quire.core.GridException;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;

/** Bytes that would run past the end of their page; nothing was written. */
public final class PageOverflowException extends GridException {
  private static final long serialVersionUID = 1L;

  PageOverflowException(GlobalAddress address, int offset, int length, PageSize pageSize) {
    super(length + " bytes at " + address + " (offset " + offset + " in its page) run past the end of a "
        + pageSize.bytes() + "-byte page; nothing was written. Split the data across pages");
  }
}
