package io.quire.store.ram;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreClosedException;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The RAM tier: a Caffeine cache of pages bounded by bytes (a weigher, not an entry count), whose eviction policy
 * picks the cold pages to page out.
 *
 * <p>Implementation notes. Dirty pages are handed to {@code spill} from Caffeine's {@code evictionListener}, which
 * runs synchronously inside the atomic removal of the entry; a reader of the same page that misses and pages it back
 * in ({@link #getOrLoad}) waits on the same map bin, so it can never load the older disk copy while the newer one is
 * still being spilled. The async {@code removalListener} would open exactly that window, so it is not used. Cache
 * maintenance runs on the calling thread ({@code executor(Runnable::run)}): eviction, and therefore the spill, has
 * happened by the time a write returns, and the budget is kept without a background thread.
 */
public final class CaffeinePageStore implements PageStore {

  /** What a resident page costs beyond its bytes: the entry, the key, the Page object and its array header. */
  public static final int ENTRY_OVERHEAD_BYTES = 112;

  private final Cache<GlobalAddress, Page> pages;
  private final long budgetBytes;
  private volatile boolean closed;

  /**
   * @param budgetBytes the most bytes the tier may hold, counting {@link #ENTRY_OVERHEAD_BYTES} per page
   * @param spill receives every dirty page the tier evicts; it must store the page durably enough not to lose it
   *     (the pager writes it to the disk tier)
   */
  public CaffeinePageStore(long budgetBytes, Consumer<Page> spill) {
    requireNonNull(spill, "spill");
    if (budgetBytes < 1) {
      throw new IllegalArgumentException("RAM tier budget must be positive, not " + budgetBytes + " bytes");
    }
    this.budgetBytes = budgetBytes;
    this.pages = Caffeine.newBuilder()
        .maximumWeight(budgetBytes)
        .weigher((GlobalAddress address, Page page) -> weightOf(page))
        .executor(Runnable::run)
        .evictionListener((GlobalAddress address, Page page, RemovalCause cause) -> {
          if (page != null && page.isDirty()) {
            spill.accept(page);
          }
        })
        .build();
  }

  /** The bytes a page is charged against the budget. */
  public static int weightOf(Page page) {
    return page.length() + ENTRY_OVERHEAD_BYTES;
  }

  @Override
  public Page read(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    requireOpen();
    return pages.getIfPresent(pageAddress);
  }

  /**
   * The resident page, or the one {@code loader} pages in (null: nothing to page in), inserted atomically: a write
   * that lands meanwhile is never overwritten by the older loaded copy.
   */
  public Page getOrLoad(GlobalAddress pageAddress, Function<GlobalAddress, Page> loader) {
    requireOpen();
    return pages.get(pageAddress, loader);
  }

  @Override
  public void write(Page page) {
    requireNonNull(page, "page");
    requireOpen();
    pages.put(page.address(), page);
  }

  /** Replaces {@code expected} by {@code replacement} only if {@code expected} is still the resident page. */
  public boolean replace(Page expected, Page replacement) {
    requireOpen();
    return pages.asMap().replace(expected.address(), expected, replacement);
  }

  @Override
  public boolean remove(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    requireOpen();
    return pages.asMap().remove(pageAddress) != null;
  }

  @Override
  public long removeRange(AddressRange range) {
    requireNonNull(range, "range");
    requireOpen();
    long removed = 0;
    for (Iterator<GlobalAddress> it = pages.asMap().keySet().iterator(); it.hasNext(); ) {
      if (range.contains(it.next())) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  /** Calls {@code action} for every resident page; pages written meanwhile may or may not be seen. */
  public void forEachResident(Consumer<Page> action) {
    pages.asMap().values().forEach(action);
  }

  /** RAM holds no promise of durability, so there is nothing to flush. */
  @Override
  public void flush() {
    requireOpen();
  }

  @Override
  public long pageCount() {
    requireOpen();
    pages.cleanUp();
    return pages.estimatedSize();
  }

  @Override
  public java.util.List<GlobalAddress> addresses() {
    requireOpen();
    return pages.asMap().keySet().stream().sorted().toList();
  }

  /** The bytes resident pages are charged, after pending evictions have run. */
  public long weightedBytes() {
    pages.cleanUp();
    return pages.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  /** The budget this tier keeps to. */
  public long budgetBytes() {
    return budgetBytes;
  }

  /** Drops every page without spilling; the owner spills dirty pages first if it wants them kept. */
  @Override
  public void close() {
    closed = true;
    pages.asMap().clear();
  }

  private void requireOpen() {
    if (closed) {
      throw new StoreClosedException("RAM tier");
    }
  }
}
