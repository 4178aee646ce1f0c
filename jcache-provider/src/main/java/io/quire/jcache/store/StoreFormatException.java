package io.quire.jcache.store;

import io.quire.core.GridException;
import io.quire.core.address.GlobalAddress;

/**
 * Bytes in an entry store's pages that are not what the stored format ({@code docs/design/cache-pages.md}) allows:
 * a range that is not an entry store, a damaged or foreign page, or a format version this code does not read. Nothing
 * was changed; the message names the page.
 */
public final class StoreFormatException extends GridException {
  private static final long serialVersionUID = 1L;

  private final transient GlobalAddress address;

  StoreFormatException(GlobalAddress address, String problem) {
    super("entry store page " + address + ": " + problem);
    this.address = address;
  }

  StoreFormatException(GlobalAddress address, String problem, Throwable cause) {
    super("entry store page " + address + ": " + problem, cause);
    this.address = address;
  }

  /** The address of the page at fault. */
  public GlobalAddress address() {
    return address;
  }
}
