package io.quire.spi.store;

import io.quire.core.GridException;

/** A page store failed: its file is missing, locked, corrupted or unreadable. */
public class StoreException extends GridException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
