package io.quire.spi.store;

import java.nio.file.Path;

/** A node's data directory says it has a store file, but the file is gone. */
public final class StoreFileMissingException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreFileMissingException(Path file, String why) {
    super("store file " + file + " is missing: " + why + ". Restore it, or remove the whole data directory to "
        + "start this node empty");
  }
}
