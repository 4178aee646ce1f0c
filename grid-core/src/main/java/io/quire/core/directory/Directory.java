package io.quire.core.directory;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * The directory of the shared space (patent FIG. 5/6): for every allocated range, the node responsible for tracking
 * its pages. It is a B+-tree keyed by range start whose nodes are ordinary pages reached only through a
 * {@link DirectoryPageIo}; the root sits at the fixed address {@link #ROOT}, so any node can start a walk without
 * knowing anything else. Leaf entries carry the ranges; inner entries split the space between child pages. Lookup
 * reads exactly {@link #depth()} pages, and depth grows with the logarithm of the range count (102 entries per
 * 4 KiB page). The page format is in {@code docs/design/directory.md}.
 *
 * <p>Concurrency: one {@link StampedLock}. {@link #insert} and {@link #remove} hold the write lock for the whole
 * change, so the linker never races another writer. {@link #lookup} first walks under an optimistic read stamp and
 * keeps the answer only if the stamp still validates (no writer ran meanwhile, so every page it read belonged to one
 * consistent tree); a failed validation, or an error seen while a writer was active, retries under the read lock. The
 * io may be slow (a disk): writers then hold the lock for longer and lookups fall back to the read lock, which is
 * correct, only slower.
 */
public final class Directory {

  /** The well-known address of the root directory page; it never moves, even when the root splits. */
  public static final GlobalAddress ROOT = GlobalAddress.ZERO;

  private final DirectoryPages pages;
  private final DirectoryLinker linker;
  private final StampedLock lock = new StampedLock();
  /** Written only under the write lock; volatile so {@link #rangeCount()} needs no lock. */
  private volatile long rangeCount;

  private Directory(DirectoryPages pages, long rangeCount) {
    this.pages = pages;
    this.linker = new DirectoryLinker(pages);
    this.rangeCount = rangeCount;
  }

  /**
   * Opens the directory stored through {@code io}: writes an empty root leaf if there is no root page yet, otherwise
   * uses the stored tree as it is (so a directory on a durable io survives a restart). Opening an existing tree walks
   * it once to count its ranges.
   *
   * @throws DirectoryCorruptedException if a stored directory page cannot be decoded
   */
  public static Directory open(DirectoryPageIo io, PageSize pageSize) {
    requireNonNull(io, "io");
    requireNonNull(pageSize, "pageSize");
    DirectoryPages pages = new DirectoryPages(io, pageSize);
    if (io.read(ROOT) == null) {
      io.write(ROOT, DirectoryPage.emptyLeaf(pageSize));
      return new Directory(pages, 0);
    }
    long[] count = new long[1];
    new Directory(pages, 0).forEach(entry -> count[0]++);
    return new Directory(pages, count[0]);
  }

  /**
   * Links a newly allocated range, splitting directory pages (allocated through the io) up to the root as needed.
   *
   * @throws IllegalArgumentException if the range overlaps an indexed range (both are named), or uses another page
   *     size than the directory
   */
  public void insert(RangeEntry entry) {
    requireNonNull(entry, "entry");
    long stamp = lock.writeLock();
    try {
      linker.insert(entry);
      rangeCount++;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Unlinks the range that starts exactly at {@code rangeStart}; directory pages that empty are unlinked and freed
   * through the io, and a root left with a single child absorbs it.
   *
   * @return true if such a range was indexed
   */
  public boolean remove(GlobalAddress rangeStart) {
    requireNonNull(rangeStart, "rangeStart");
    long stamp = lock.writeLock();
    try {
      boolean removed = linker.remove(rangeStart);
      if (removed) {
        rangeCount--;
      }
      return removed;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * The entry of the range that contains {@code address} (any byte of it), or null if no indexed range does. Reads
   * one page per level and decodes only the matching entry.
   */
  public RangeEntry lookup(GlobalAddress address) {
    requireNonNull(address, "address");
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0) {
      try {
        RangeEntry found = walk(address);
        if (lock.validate(stamp)) {
          return found;
        }
      } catch (RuntimeException e) {
        // A writer may have freed or rewritten a page under us; only an error seen in a quiet tree is real.
        if (lock.validate(stamp)) {
          throw e;
        }
      }
    }
    stamp = lock.readLock();
    try {
      return walk(address);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private RangeEntry walk(GlobalAddress address) {
    long hi = address.hi();
    long lo = address.lo();
    DirectoryPage page = pages.root();
    while (!page.isLeaf()) {
      page = pages.child(page, page.routeIndex(hi, lo));
    }
    int index = page.floorIndex(hi, lo);
    return index >= 0 && page.leafCovers(index, hi, lo) ? page.entryAt(index) : null;
  }

  /** The number of levels of directory pages: 1 while the root is a leaf; a lookup reads this many pages. */
  public int depth() {
    long stamp = lock.readLock();
    try {
      return pages.root().level() + 1;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The number of indexed ranges. */
  public long rangeCount() {
    return rangeCount;
  }

  /** Hands every indexed range to {@code action} in address order, under the read lock (so no writer runs meanwhile). */
  public void forEach(Consumer<RangeEntry> action) {
    requireNonNull(action, "action");
    long stamp = lock.readLock();
    try {
      visit(pages.root(), null, action);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** Every indexed range in address order; for tests and status pages, since it reads the whole tree. */
  public List<RangeEntry> ranges() {
    List<RangeEntry> all = new ArrayList<>();
    forEach(all::add);
    return all;
  }

  /**
   * Visits the subtree of {@code page}, skipping starts at or above {@code bound}: entries a crashed split left
   * behind in a left sibling are routed to its right sibling and must not be reported twice.
   */
  private void visit(DirectoryPage page, GlobalAddress bound, Consumer<RangeEntry> action) {
    if (page.count() == 0) {
      return;
    }
    int end = bound == null ? page.count() : page.lowerIndex(bound.hi(), bound.lo()) + 1;
    if (page.isLeaf()) {
      for (int i = 0; i < end; i++) {
        action.accept(page.entryAt(i));
      }
      return;
    }
    // Entry 0's key is never consulted for routing, so child 0 is always visited.
    for (int i = 0; i < Math.max(end, 1); i++) {
      GlobalAddress childBound = i + 1 < end ? page.startAt(i + 1) : bound;
      visit(pages.child(page, i), childBound, action);
    }
  }
}
