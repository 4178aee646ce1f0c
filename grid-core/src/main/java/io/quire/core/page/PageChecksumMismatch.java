package io.quire.core.page;

import io.quire.core.GridException;
import io.quire.core.address.GlobalAddress;

/**
 * A stored page whose bytes do not match its checksum. Stores catch it and rethrow it with the file named; it never
 * reaches a caller as data.
 */
public final class PageChecksumMismatch extends GridException {
  private static final long serialVersionUID = 1L;

  private final transient GlobalAddress address;

  PageChecksumMismatch(GlobalAddress address, int stored, int computed) {
    super("page " + address + " is corrupted: stored checksum " + Integer.toHexString(stored)
        + " but its content sums to " + Integer.toHexString(computed));
    this.address = address;
  }

  /** The address of the damaged page. */
  public GlobalAddress address() {
    return address;
  }
}
