package io.quire.jcache.store;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.memory.Memory;
import io.quire.core.memory.PageUpdate;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Memory} that passes every call on and records what a test wants to observe: the ranges allocated and not
 * freed yet (to find leaks and double frees), and the number of page reads.
 */
final class RecordingMemory implements Memory {
  private final Memory delegate;
  /** Ranges allocated through this instance, or handed to {@link #adopt}, and not freed yet, by start. */
  private final Map<GlobalAddress, AddressRange> live;
  private final AtomicLong reads = new AtomicLong();
  private volatile Consumer<GlobalAddress> beforeRead = address -> { };

  RecordingMemory(Memory delegate) {
    this(delegate, new ConcurrentHashMap<>());
  }

  /** Shares the record of live ranges with an earlier instance, for a node that was closed and opened again. */
  RecordingMemory(Memory delegate, Map<GlobalAddress, AddressRange> live) {
    this.delegate = delegate;
    this.live = live;
  }

  /** The live ranges, shared with every instance made from this one's map. */
  Map<GlobalAddress, AddressRange> liveMap() {
    return live;
  }

  /** Starts of the ranges allocated and not freed. */
  Set<GlobalAddress> liveRanges() {
    return Set.copyOf(live.keySet());
  }

  /** Runs {@code hook} before every read, on the reading thread: to make a race happen at one chosen instant. */
  void beforeRead(Consumer<GlobalAddress> hook) {
    beforeRead = hook;
  }

  long reads() {
    return reads.get();
  }

  @Override
  public AddressRange allocate(long pages, Durability durability) {
    AddressRange range = delegate.allocate(pages, durability);
    live.put(range.start(), range);
    return range;
  }

  @Override
  public Page read(GlobalAddress address) {
    reads.incrementAndGet();
    beforeRead.accept(address);
    return delegate.read(address);
  }

  @Override
  public Page write(GlobalAddress address, byte[] bytes) {
    return delegate.write(address, bytes);
  }

  @Override
  public Page update(GlobalAddress address, PageUpdate update) {
    return delegate.update(address, update);
  }

  @Override
  public void lock(GlobalAddress address) {
    delegate.lock(address);
  }

  @Override
  public void unlock(GlobalAddress address) {
    delegate.unlock(address);
  }

  @Override
  public void free(GlobalAddress rangeStart) {
    // Checked first, so that a double free fails the test instead of reaching the store as an ordinary refusal.
    if (!live.containsKey(rangeStart)) {
      throw new AssertionError("freed " + rangeStart + ", which was not allocated through this memory or was "
          + "freed before");
    }
    delegate.free(rangeStart);
    live.remove(rangeStart);
  }
}
