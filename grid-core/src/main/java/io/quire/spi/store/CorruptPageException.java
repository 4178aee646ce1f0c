package io.quire.spi.store;

import io.quire.core.address.GlobalAddress;
import java.nio.file.Path;

/** A stored page failed its checksum or could not be decoded; it is never returned as data. */
public final class CorruptPageException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final transient GlobalAddress address;
  private final transient Path file;

  public CorruptPageException(GlobalAddress address, Path file, String problem, Throwable cause) {
    super("page " + address + " in " + file + " is corrupted (" + problem + "); it was not returned. Restore the "
        + "file from a replica or backup, or free the range that holds the page", cause);
    this.address = address;
    this.file = file;
  }

  /** The address of the damaged page. */
  public GlobalAddress address() {
    return address;
  }

  /** The file that holds it. */
  public Path file() {
    return file;
  }
}
