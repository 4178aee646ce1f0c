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
    rejectOverlap(range);
    GlobalAddress start = range.start();
    Path path = descend(start);
    List<GlobalAddress> newAddresses = new ArrayList<>(2);
    List<byte[]> newImages = new ArrayList<>(2);
    List<GlobalAddress> changedAddresses = new ArrayList<>(2);
    List<byte[]> changedImages = new ArrayList<>(2);

    byte[] toInsert = DirectoryPage.leafEntry(entry);
    DirectoryPage leaf = path.page[path.leaf()];
    int position = leaf.floorIndex(start.hi(), start.lo()) + 1;
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

  /** Unlinks the range starting at {@code start}; see {@link Directory#remove}. */
  boolean remove(GlobalAddress start) {
    Path path = descend(start);
    DirectoryPage leaf = path.page[path.leaf()];
    int index = leaf.floorIndex(start.hi(), start.lo());
    if (index < 0 || leaf.compareStart(index, start.hi(), start.lo()) != 0) {
      return false;
    }
    List<GlobalAddress> emptied = new ArrayList<>();
    for (int d = path.leaf(); ; d--) {
      DirectoryPage page = path.page[d];
      if (page.count() == 1 && d > 0) {
        // The page empties: drop it and remove its link from the parent instead.
        emptied.add(page.address());
        index = path.slot[d - 1];
        continue;
      }
      pages.write(page.address(),
          DirectoryPage.page(pages.pageSize(), page.count() == 1 ? 0 : page.level(), page.entriesWithout(index), 0,
              page.count() - 1));
      break;
    }
    // Freed only after the parent that linked them is rewritten, so no stored page ever links a freed one.
    for (GlobalAddress page : emptied) {
      pages.io().freePage(page);
    }
    collapseRoot();
    return true;
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

  private void rejectOverlap(AddressRange range) {
    GlobalAddress start = range.start();
    RangeEntry before = floor(pages.root(), start, null);
    if (before != null && before.range().end().compareTo(start) > 0) {
      throw overlap(range, before);
    }
    RangeEntry after = higher(pages.root(), start);
    if (after != null && after.range().start().compareTo(range.end()) < 0) {
      throw overlap(range, after);
    }
  }

  private static IllegalArgumentException overlap(AddressRange range, RangeEntry existing) {
    return new IllegalArgumentException("range " + range + " overlaps the allocated range " + existing.range()
        + " (responsible " + existing.responsible() + ")");
  }

  /**
   * The entry with the largest start {@code <= address} in the subtree of {@code page}, considering only starts
   * below {@code bound} (null: no bound; see the class comment on why a subtree is bounded).
   */
  private RangeEntry floor(DirectoryPage page, GlobalAddress address, GlobalAddress bound) {
    int i = page.floorIndex(address.hi(), address.lo());
    if (bound != null) {
      i = Math.min(i, page.lowerIndex(bound.hi(), bound.lo()));
    }
    if (page.isLeaf()) {
      return i < 0 ? null : page.entryAt(i);
    }
    i = Math.max(i, 0);
    GlobalAddress childBound = i + 1 < page.count() ? page.startAt(i + 1) : bound;
    RangeEntry found = floor(pages.child(page, i), address, childBound);
    if (found == null && i > 0) {
      // Everything in child i is above the address: the answer is the largest entry of the child to its left.
      found = floor(pages.child(page, i - 1), GlobalAddress.MAX, page.startAt(i));
    }
    return found;
  }

  /** The entry with the smallest start {@code > address} in the subtree of {@code page}. */
  private RangeEntry higher(DirectoryPage page, GlobalAddress address) {
    int i = page.floorIndex(address.hi(), address.lo()) + 1;
    if (page.isLeaf()) {
      return i < page.count() ? page.entryAt(i) : null;
    }
    int route = Math.max(0, i - 1);
    RangeEntry found = higher(pages.child(page, route), address);
    if (found == null && route + 1 < page.count()) {
      found = first(pages.child(page, route + 1));
    }
    return found;
  }

  private RangeEntry first(DirectoryPage page) {
    while (!page.isLeaf()) {
      page = pages.child(page, 0);
    }
    return page.entryAt(0);
  }
}
