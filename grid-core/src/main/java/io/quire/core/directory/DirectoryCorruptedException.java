package io.quire.core.directory;

import io.quire.core.GridException;
import io.quire.core.address.GlobalAddress;

/**
 * A directory page whose bytes cannot be a directory page (unknown format, impossible count or level, truncated), or
 * a tree whose pages do not fit together (a missing child, a child at the wrong level). The directory refuses to
 * guess: it reports the page and the problem and changes nothing.
 */
public final class DirectoryCorruptedException extends GridException {
  private static final long serialVersionUID = 1L;

  private final transient GlobalAddress page;

  public DirectoryCorruptedException(GlobalAddress page, String problem) {
    super("directory page " + page + " is corrupted: " + problem + ". The directory was not changed; restore the "
        + "page from a replica, or rebuild the directory from the responsible nodes' records");
    this.page = page;
  }

  /** The address of the damaged directory page. */
  public GlobalAddress page() {
    return page;
  }
}
