package io.quire.core.directory;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The patent's linker: inserts and removes leaf entries, splitting full pages up to the root and freeing pages that
 * empty. The caller holds the directory's write lock, so the linker is single-threaded.
 *
 * <p>Write order keeps the stored tree usable after every single page write: freshly allocated pages are written
 * first (nothing links them yet), then the pages that changed, from the top down, so a parent links a new sibling
 * before the page that gave up entries to it is trimmed. A crash in between leaves at worst a left sibling still
 * holding copies of entries its parent already routes to the new right sibling; lookups never reach those copies and
 * iteration bounds each subtree by its parent's next key, so they are invisible.
 */
final class DirectoryLinker {
  private final DirectoryPages pages;

  DirectoryLinker(DirectoryPages pages) {
    this.pages = pages;
  }

  /** The root-to-leaf path that an address routes along. */
  private static final class Path {
    final DirectoryPage[] page;
    /** {@code slot[d]}: the entry of {@code page[d]} that leads to {@code page[d + 1]}. */
    final int[] slot;

    Path(int depth) {
      page = new DirectoryPage[depth];
      slot = new int[depth];
    }

    int leaf() {
      return page.length - 1;
    }
  }

  private Path descend(GlobalAddress address) {
    DirectoryPage root = pages.root();
    Path path = new Path(root.level() + 1);
    DirectoryPage page = root;
    for (int d = 0; ; d++) {
      path.page[d] = page;
      if (page.isLeaf()) {
        return path;
      }
      int slot = page.routeIndex(address.hi(), address.lo());
      path.slot[d] = slot;
      page = pages.child(page, slot);
    }
  }

  /** Links {@code entry}; see {@link Directory#insert}. */
  void insert(RangeEntry entry) {
    AddressRange range = entry.range();
    if (!range.pageSize().equals(pages.pageSize())) {
      throw new IllegalArgumentException("range " + range + " uses pages of " + range.pageSize()
          + " but this directory indexes pages of " + pages.pageSize());
    }
    GlobalAddress start = range.start();
    Path path = descend(start);
    DirectoryPage leaf = path.page[path.leaf()];
    int position = leaf.floorIndex(start.hi(), start.lo()) + 1;
    rejectOverlap(range, path, position);
    List<GlobalAddress> newAddresses = new ArrayList<>(2);
    List<byte[]> newImages = new ArrayList<>(2);
    List<GlobalAddress> changedAddresses = new ArrayList<>(2);
    List<byte[]> changedImages = new ArrayList<>(2);

    byte[] toInsert = DirectoryPage.leafEntry(entry);
    for (int d = path.leaf(); d >= 0; d--) {
      DirectoryPage page = path.page[d];
      byte[] entries = page.entriesWith(position, toInsert);
      int n = page.count() + 1;
      if (!page.isFull()) {
        changedAddresses.add(page.address());
        changedImages.add(DirectoryPage.page(pages.pageSize(), page.level(), entries, 0, n));
        break;
      }
      // Ascending (or descending) runs of inserts are the common case for an address generator: splitting at the
      // insertion point then leaves the old page full instead of half-empty.
      int split = position == page.count() ? n - 1 : position == 0 ? 1 : n / 2;
      byte[] right = DirectoryPage.page(pages.pageSize(), page.level(), entries, split, n - split);
      byte[] left = DirectoryPage.page(pages.pageSize(), page.level(), entries, 0, split);
      GlobalAddress rightAddress = pages.io().allocatePage();
      newAddresses.add(rightAddress);
      newImages.add(right);
      if (d == 0) {
        // The root never moves: its entries go to two new children and it becomes an inner page over them.
        GlobalAddress leftAddress = pages.io().allocatePage();
        newAddresses.add(leftAddress);
        newImages.add(left);
        byte[] rootEntries = new byte[2 * DirectoryPage.ENTRY_BYTES];
        System.arraycopy(DirectoryPage.innerEntry(DirectoryPage.startIn(entries, 0), leftAddress), 0,
            rootEntries, 0, DirectoryPage.ENTRY_BYTES);
        System.arraycopy(DirectoryPage.innerEntry(DirectoryPage.startIn(entries, split), rightAddress), 0,
            rootEntries, DirectoryPage.ENTRY_BYTES, DirectoryPage.ENTRY_BYTES);
        changedAddresses.add(Directory.ROOT);
        changedImages.add(DirectoryPage.page(pages.pageSize(), page.level() + 1, rootEntries, 0, 2));
        break;
      }
      changedAddresses.add(page.address());
      changedImages.add(left);
      toInsert = DirectoryPage.innerEntry(DirectoryPage.startIn(entries, split), rightAddress);
      position = path.slot[d - 1] + 1;
    }
    for (int i = 0; i < newAddresses.size(); i++) {
      pages.write(newAddresses.get(i), newImages.get(i));
    }
    for (int i = changedAddresses.size() - 1; i >= 0; i--) {
      pages.write(changedAddresses.get(i), changedImages.get(i));
    }
  }

  /**
   * Unlinks the range starting at {@code start}; see {@link Directory#remove}. Keeps every routing key exact: when
   * the removed range was the smallest start under an inner key, that key is raised to the new smallest start, so a
   * range on the left of a key can never reach past it and a lookup never needs to look left of its path.
   */
  boolean remove(GlobalAddress start) {
    Path path = descend(start);
    int leafLevel = path.leaf();
    DirectoryPage leaf = path.page[leafLevel];
    int index = leaf.floorIndex(start.hi(), start.lo());
    if (index < 0 || leaf.compareStart(index, start.hi(), start.lo()) != 0) {
      return false;
    }
    // Pages that hold only this entry (or only the link to such a page) empty and go away; w keeps one entry less.
    int w = leafLevel;
    int removeAt = index;
    while (w > 0 && path.page[w].count() == 1) {
      removeAt = path.slot[w - 1];
      w--;
    }
    int keyLevel = -1;
    if (index == 0) {
      for (int d = leafLevel - 1; d >= 0 && keyLevel < 0; d--) {
        keyLevel = path.slot[d] > 0 ? d : -1;
      }
    }
    if (keyLevel >= 0 && w > keyLevel) {
      // The range was the smallest under key slot[keyLevel], and that subtree survives. Raise the key first: until
      // the page below is rewritten, only the range being removed becomes unreachable.
      DirectoryPage keyPage = path.page[keyLevel];
      GlobalAddress newMin = w == leafLevel ? leaf.startAt(1) : smallestStart(pages.child(path.page[w], 1));
      pages.write(keyPage.address(), keyPage.withKey(path.slot[keyLevel], newMin));
    }
    DirectoryPage page = path.page[w];
    pages.write(page.address(), DirectoryPage.page(pages.pageSize(), page.count() == 1 ? 0 : page.level(),
        page.entriesWithout(removeAt), 0, page.count() - 1));
    // Freed only after the page that linked them is rewritten, so no stored page ever links a freed one.
    for (int d = w + 1; d <= leafLevel; d++) {
      pages.io().freePage(path.page[d].address());
    }
    collapseRoot();
    return true;
  }

  private GlobalAddress smallestStart(DirectoryPage page) {
    while (!page.isLeaf()) {
      page = pages.child(page, 0);
    }
    return page.startAt(0);
  }

  /**
   * While the root is an inner page over a single child, pulls that child's content up into the root and frees it,
   * so the depth shrinks again as ranges go away.
   */
  private void collapseRoot() {
    DirectoryPage root = pages.root();
    while (!root.isLeaf() && root.count() == 1) {
      DirectoryPage child = pages.child(root, 0);
      pages.write(Directory.ROOT, child.copyOfBytes());
      pages.io().freePage(child.address());
      root = pages.root();
    }
  }

  /**
   * Checks the new range against its two neighbours, found from the insert path: inside the leaf when they are
   * there, otherwise by one descent into the adjacent subtree at the deepest level that has one. An address
   * generator's ascending inserts land at the right edge of the tree and need no extra page read at all.
   */
  private void rejectOverlap(AddressRange range, Path path, int position) {
    RangeEntry before = predecessor(path, position);
    if (before != null && before.range().end().compareTo(range.start()) > 0) {
      throw overlap(range, before);
    }
    RangeEntry after = successor(path, position);
    if (after != null && after.range().start().compareTo(range.end()) < 0) {
      throw overlap(range, after);
    }
  }

  private static IllegalArgumentException overlap(AddressRange range, RangeEntry existing) {
    return new IllegalArgumentException("range " + range + " overlaps the allocated range " + existing.range()
        + " (responsible " + existing.responsible() + ")");
  }

  /** The entry just before leaf position {@code position} of the path, in address order, or null. */
  private RangeEntry predecessor(Path path, int position) {
    if (position > 0) {
      return path.page[path.leaf()].entryAt(position - 1);
    }
    for (int d = path.leaf() - 1; d >= 0; d--) {
      int slot = path.slot[d];
      if (slot > 0) {
        DirectoryPage parent = path.page[d];
        return last(pages.child(parent, slot - 1), parent.startAt(slot));
      }
    }
    return null;
  }

  /** The entry at or after leaf position {@code position} of the path, in address order, or null. */
  private RangeEntry successor(Path path, int position) {
    DirectoryPage leaf = path.page[path.leaf()];
    if (position < leaf.count()) {
      return leaf.entryAt(position);
    }
    for (int d = path.leaf() - 1; d >= 0; d--) {
      int slot = path.slot[d];
      DirectoryPage parent = path.page[d];
      if (slot + 1 < parent.count()) {
        DirectoryPage page = pages.child(parent, slot + 1);
        while (!page.isLeaf()) {
          page = pages.child(page, 0);
        }
        return page.entryAt(0);
      }
    }
    return null;
  }

  /**
   * The last entry of the subtree of {@code page} whose start is below {@code bound}, the parent's next key: entries
   * at or above it could only be copies a crashed split left behind (see the class comment).
   */
  private RangeEntry last(DirectoryPage page, GlobalAddress bound) {
    while (!page.isLeaf()) {
      int i = page.lowerIndex(bound.hi(), bound.lo());
      if (i + 1 < page.count()) {
        bound = page.startAt(i + 1);
      }
      page = pages.child(page, i);
    }
    int i = page.lowerIndex(bound.hi(), bound.lo());
    return i < 0 ? null : page.entryAt(i);
  }
}
