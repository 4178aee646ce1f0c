package io.quire.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreException;
import io.quire.store.ram.CaffeinePageStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The paging element: one node's RAM tier over its disk tier. It keeps RAM within its byte budget by paging cold
 * pages out (a dirty page is written to disk first, so the only copy is never dropped) and pages them back in on
 * access.
 *
 * <p>Durability follows each page's volatile bit. A persistent page is written through: it is in the disk file
 * before {@link #write} returns and its RAM copy is clean. A volatile page lives dirty in RAM and reaches disk when it
 * is evicted (spills are committed in groups of {@link #SPILL_GROUP_COMMIT}) or at {@link #writeBack()}.
 *
 * <p>Concurrency: the pager does not order writes of one page; its caller holds that page's lock around {@link
 * #write}, {@link #remove} and read-modify-write sequences. Reads take no lock: a page-in inserts atomically and never
 * replaces a newer resident copy (see {@link CaffeinePageStore}). {@code unspilled} is a concurrent map that only the
 * eviction path adds to and only {@link #writeBack()} drains.
 */
public final class Pager implements AutoCloseable {
  /** Spilled volatile pages are committed to disk after this many, bounding what MapDB holds uncommitted. */
  static final int SPILL_GROUP_COMMIT = 256;

  private static final Logger LOG = Logger.getLogger(Pager.class.getName());

  private final PageStore disk;
  private final CaffeinePageStore ram;
  /** Dirty pages whose spill to disk failed: kept here, readable, until a write-back succeeds. */
  private final ConcurrentHashMap<GlobalAddress, Page> unspilled = new ConcurrentHashMap<>();
  private final AtomicLong spillsSinceCommit = new AtomicLong();
  private final LongAdder pageIns = new LongAdder();
  private final LongAdder pageOuts = new LongAdder();

  /**
   * @param ramBudgetBytes the RAM tier's byte budget
   * @param disk the node's disk tier; the pager owns it from now on and closes it
   */
  public Pager(long ramBudgetBytes, PageStore disk) {
    this.disk = requireNonNull(disk, "disk");
    this.ram = new CaffeinePageStore(ramBudgetBytes, this::spill);
  }

  /** The resident page, or null: the hot path of a read, which never leaves the caller's thread or touches disk. */
  public Page readResident(GlobalAddress pageAddress) {
    return ram.read(pageAddress);
  }

  /** The page from RAM, or paged in from disk; null when neither tier holds it. */
  public Page read(GlobalAddress pageAddress) {
    Page page = ram.read(pageAddress);
    return page != null ? page : ram.getOrLoad(pageAddress, this::pageIn);
  }

  /**
   * Inserts a page known to hold no data yet (for example the zero page of a never-written address) unless a page
   * is resident already; returns the resident page.
   */
  public Page residentOr(Page empty) {
    return ram.getOrLoad(empty.address(), address -> empty.withDirty(false));
  }

  /** Stores a new version of a page, write-through for a persistent page, RAM-first for a volatile one. */
  public void write(Page page) {
    if (page.isVolatile()) {
      ram.write(page.withDirty(true));
    } else {
      Page clean = page.withDirty(false);
      disk.write(clean);
      ram.write(clean);
    }
  }

  /**
   * Holds a read copy of a page another node owns: RAM only and clean, so eviction simply drops it and nothing of
   * it reaches this node's disk, where it could later be mistaken for an authoritative copy.
   */
  public void cacheCopy(Page page) {
    ram.write(page.withDirty(false));
  }

  /** The page as stored in RAM or on disk, without paging it in: for looking at a copy without making it readable. */
  public Page peekStored(GlobalAddress pageAddress) {
    Page page = ram.read(pageAddress);
    return page != null ? page : disk.read(pageAddress);
  }

  /** Drops a page from both tiers. */
  public void remove(GlobalAddress pageAddress) {
    ram.remove(pageAddress);
    unspilled.remove(pageAddress);
    disk.remove(pageAddress);
  }

  /** Drops every page of {@code range} from both tiers; returns how many the disk tier held. */
  public long removeRange(AddressRange range) {
    ram.removeRange(range);
    unspilled.keySet().removeIf(range::contains);
    return disk.removeRange(range);
  }

  /**
   * Writes every dirty resident page to disk and makes the disk durable: after this returns, a crash loses nothing
   * written before the call, volatile or not.
   */
  public void writeBack() {
    unspilled.forEach((address, page) -> {
      disk.writeLazily(page.withDirty(false));
      unspilled.remove(address, page);
    });
    ram.forEachResident(page -> {
      if (page.isDirty()) {
        disk.writeLazily(page.withDirty(false));
        // A newer write may have replaced the page meanwhile; it stays dirty for the next write-back.
        ram.replace(page, page.withDirty(false));
      }
    });
    disk.flush();
    spillsSinceCommit.set(0);
  }

  private Page pageIn(GlobalAddress pageAddress) {
    // A page whose spill failed goes back to RAM still dirty, so the next eviction tries the disk again.
    Page pinned = unspilled.remove(pageAddress);
    if (pinned != null) {
      return pinned;
    }
    Page page = disk.read(pageAddress);
    if (page != null) {
      pageIns.increment();
    }
    return page;
  }

  /** Called by the RAM tier's eviction, inside the atomic removal of the entry. */
  private void spill(Page page) {
    try {
      disk.writeLazily(page.withDirty(false));
      pageOuts.increment();
      if (spillsSinceCommit.incrementAndGet() >= SPILL_GROUP_COMMIT) {
        spillsSinceCommit.set(0);
        disk.flush();
      }
    } catch (StoreException | IllegalStateException e) {
      // Caffeine would log and swallow this, dropping the only copy; keep the page readable instead.
      unspilled.put(page.address(), page);
      LOG.log(Level.SEVERE, "could not page out " + page + "; kept it in RAM beyond the budget", e);
    }
  }

  /** Pages read back from disk since start. */
  public long pageIns() {
    return pageIns.sum();
  }

  /** Dirty pages written to disk by eviction since start. */
  public long pageOuts() {
    return pageOuts.sum();
  }

  /** Pages resident in RAM. */
  public long ramPages() {
    return ram.pageCount();
  }

  /** Bytes the resident pages are charged against the budget. */
  public long ramBytes() {
    return ram.weightedBytes();
  }

  /** The RAM tier's budget in bytes. */
  public long ramBudgetBytes() {
    return ram.budgetBytes();
  }

  /** Pages in the disk file. */
  public long diskPages() {
    return disk.pageCount();
  }

  /** Writes back every dirty page, then closes both tiers. */
  @Override
  public void close() {
    try {
      writeBack();
    } finally {
      ram.close();
      disk.close();
    }
  }
}
