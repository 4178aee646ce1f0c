package io.quire.core.memory;

import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.directory.Directory;
import io.quire.core.directory.RangeEntry;
import io.quire.core.page.Page;
import io.quire.store.Pager;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What the handlers of one node share: its pager, directory, page locks and address layout, and the rules for
 * finding a page's current content.
 *
 * <p>Lock discipline: {@code structure} orders page writes against allocate and free, which change the set of
 * allocated ranges: page writes, updates and read misses hold its read lock, allocate and free its write lock, so a write
 * can never land in a range after free purged it. Within a read lock, a page's lock ({@link PageLocks}) orders the
 * writes of that page. Reads hold neither. Order: structure, then page; never the other way round.
 */
final class LocalPages {
  final Pager pager;
  final Directory directory;
  final PageLocks locks = new PageLocks();
  final AddressSpaceLayout layout;
  final PageSize pageSize;
  final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
  private final String nodeName;
  private volatile boolean closed;

  LocalPages(String nodeName, Pager pager, Directory directory, AddressSpaceLayout layout, PageSize pageSize) {
    this.nodeName = nodeName;
    this.pager = pager;
    this.directory = directory;
    this.layout = layout;
    this.pageSize = pageSize;
  }

  /** Throws once the node is closed; writers call it again under the structure lock, which close() takes. */
  void requireOpen() {
    if (closed) {
      throw new GridClosedException(nodeName);
    }
  }

  /** Marks the node closed once every write in flight has finished; true on the first call. */
  boolean markClosed() {
    structure.writeLock().lock();
    try {
      boolean wasOpen = !closed;
      closed = true;
      return wasOpen;
    } finally {
      structure.writeLock().unlock();
    }
  }

  /**
   * The current page holding {@code address}: resident, paged in, or the empty page of a never-written address.
   *
   * @throws UnallocatedAddressException if no allocated range holds the address
   */
  Page current(GlobalAddress address) {
    if (layout.isSystem(address)) {
      throw UnallocatedAddressException.system(address);
    }
    GlobalAddress base = address.pageBase(pageSize);
    Page resident = pager.readResident(base);
    if (resident != null) {
      // Free purges RAM under the structure write lock, so a resident data page is an allocated one.
      return resident;
    }
    // A page-in must not bring back a page of a range that free() is purging, so misses hold the read lock.
    structure.readLock().lock();
    try {
      RangeEntry entry = requireAllocated(address);
      Page stored = pager.read(base);
      if (stored != null) {
        return stored;
      }
      return pager.residentOr(Page.adopt(base, 0, false, entry.durability().volatileBit(), new byte[0]));
    } finally {
      structure.readLock().unlock();
    }
  }

  /** The directory entry of the range holding {@code address}. */
  RangeEntry requireAllocated(GlobalAddress address) {
    if (layout.isSystem(address)) {
      throw UnallocatedAddressException.system(address);
    }
    RangeEntry entry = directory.lookup(address);
    if (entry == null) {
      throw UnallocatedAddressException.notAllocated(address);
    }
    return entry;
  }

  /** Stores the next version of {@code current} with {@code bytes} as its content; the caller holds the page lock. */
  Page store(Page current, byte[] bytes) {
    Page next = Page.adopt(current.address(), current.version() + 1, true, current.isVolatile(), bytes);
    pager.write(next);
    return next;
  }
}
