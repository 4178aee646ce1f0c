package io.quire.core.directory;

import io.quire.core.address.GlobalAddress;

/**
 * How the directory reaches its own pages. Directory pages are ordinary pages of the shared space, stored in the same
 * tiers as data; this seam is what the memory layer hands down so the directory never reaches into a store itself.
 *
 * <p>Implementations must be safe for concurrent use; the directory serialises its own writes.
 */
public interface DirectoryPageIo {

  /**
   * The bytes of the directory page at {@code page}, or {@code null} if it was never written. The array may be the
   * store's own: the directory never modifies an array it read, and writes new ones.
   */
  byte[] read(GlobalAddress page);

  /** Writes a directory page durably: it survives a crash once this returns. */
  void write(GlobalAddress page, byte[] bytes);

  /** A fresh, never-used page address for a new directory page (never the root). */
  GlobalAddress allocatePage();

  /** Drops a directory page that the tree no longer links to; its address is never reused. */
  void freePage(GlobalAddress page);
}
