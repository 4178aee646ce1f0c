package io.quire.spi.store;

import java.nio.file.Path;

/** A store file whose structure (not one page) is damaged, so it cannot be opened or read. */
public final class CorruptStoreException extends StoreException {
  private static final long serialVersionUID = 1L;

  public CorruptStoreException(Path file, String problem, Throwable cause) {
    super("store file " + file + " is corrupted: " + problem + ". Nothing was changed; restore the file from a "
        + "backup or a replica, or move it away to start this node empty", cause);
  }
}
