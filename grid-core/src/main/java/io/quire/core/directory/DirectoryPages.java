package io.quire.core.directory;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;

/**
 * Reads directory pages through the {@link DirectoryPageIo} and checks that they fit the tree: a child must sit
 * exactly one level below its parent. That check also bounds every walk by the root's level, so a damaged or
 * concurrently rewritten page can never send a walk round in circles.
 */
final class DirectoryPages {
  private final DirectoryPageIo io;
  private final PageSize pageSize;

  DirectoryPages(DirectoryPageIo io, PageSize pageSize) {
    this.io = io;
    this.pageSize = pageSize;
  }

  DirectoryPageIo io() {
    return io;
  }

  PageSize pageSize() {
    return pageSize;
  }

  DirectoryPage root() {
    return DirectoryPage.decode(Directory.ROOT, io.read(Directory.ROOT), pageSize);
  }

  /** The child linked by entry {@code index} of the inner page {@code parent}. */
  DirectoryPage child(DirectoryPage parent, int index) {
    GlobalAddress address = parent.childAt(index);
    DirectoryPage child = DirectoryPage.decode(address, io.read(address), pageSize);
    if (child.level() != parent.level() - 1) {
      throw new DirectoryCorruptedException(address, "it is at level " + child.level() + " but its parent "
          + parent.address() + " is at level " + parent.level());
    }
    if (child.count() == 0) {
      // Only the root may be empty: the linker frees every other page that empties.
      throw new DirectoryCorruptedException(address, "a non-root directory page has no entries");
    }
    return child;
  }

  void write(GlobalAddress address, byte[] bytes) {
    io.write(address, bytes);
  }
}
