package io.quire.spi.store;

import java.nio.file.Path;

/** Another process, or another node in this process, has the store file open. */
public final class StoreFileLockedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreFileLockedException(Path file, Throwable cause) {
    super("store file " + file + " is locked by another process or another node in this JVM; give each node "
        + "its own data directory, or stop the node that holds it", cause);
  }
}
