package io.quire.testkit.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreClosedException;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A page store in a sorted concurrent map: the disk tier of simulated nodes, where what matters is which pages a node
 * holds, not how they reach a disk. Survives a simulated crash when the test keeps the instance.
 */
public final class InMemoryPageStore implements PageStore {
  private final ConcurrentSkipListMap<GlobalAddress, Page> pages = new ConcurrentSkipListMap<>();
  private volatile boolean closed;
  private final java.util.concurrent.atomic.LongAdder durableWrites = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder lazyWrites = new java.util.concurrent.atomic.LongAdder();

  @Override
  public Page read(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    requireOpen();
    return pages.get(pageAddress);
  }

  @Override
  public void write(Page page) {
    requireNonNull(page, "page");
    requireOpen();
    pages.put(page.address(), page.withDirty(false));
    durableWrites.increment();
  }

  /** Stored at once like {@link #write} (nothing to buffer in memory), but counted apart: tests see which was asked. */
  @Override
  public void writeLazily(Page page) {
    requireNonNull(page, "page");
    requireOpen();
    pages.put(page.address(), page.withDirty(false));
    lazyWrites.increment();
  }

  /** How many pages were stored with {@link #write}, the durable promise. */
  public long durableWrites() {
    return durableWrites.sum();
  }

  /** How many pages were stored with {@link #writeLazily}, without the durable promise. */
  public long lazyWrites() {
    return lazyWrites.sum();
  }

  @Override
  public boolean remove(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    requireOpen();
    return pages.remove(pageAddress) != null;
  }

  @Override
  public long removeRange(AddressRange range) {
    requireNonNull(range, "range");
    requireOpen();
    var inRange = pages.subMap(range.start(), true, range.end(), false);
    long removed = inRange.size();
    inRange.clear();
    return removed;
  }

  @Override
  public void flush() {
    requireOpen();
  }

  @Override
  public long pageCount() {
    requireOpen();
    return pages.size();
  }

  @Override
  public java.util.List<GlobalAddress> addresses() {
    requireOpen();
    return java.util.List.copyOf(pages.keySet());
  }

  @Override
  public void close() {
    closed = true;
  }

  private void requireOpen() {
    if (closed) {
      throw new StoreClosedException("in-memory page store");
    }
  }
}
