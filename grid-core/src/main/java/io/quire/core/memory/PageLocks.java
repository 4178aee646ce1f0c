package io.quire.core.memory;

import io.quire.core.address.GlobalAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One reentrant lock per page, made on first use and dropped when nobody holds or waits for it, so that memory use
 * follows the pages in use rather than the pages that exist. Per page rather than striped: a thread that holds page A
 * (through {@link Memory#lock}) and writes page B must never wait for an unrelated holder of a page that shares B's
 * stripe.
 *
 * <p>Concurrency: {@code Entry.users} is read and written only inside {@code locks.compute}, i.e. under the map's bin
 * lock for that address; the {@code ReentrantLock} inside is the page lock itself.
 */
final class PageLocks {
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private final ConcurrentHashMap<GlobalAddress, Entry> locks = new ConcurrentHashMap<>();

  /** Blocks until the calling thread holds the lock of {@code page}. */
  void lock(GlobalAddress page) {
    Entry entry = locks.compute(page, (address, existing) -> {
      Entry e = existing != null ? existing : new Entry();
      e.users++;
      return e;
    });
    entry.lock.lock();
  }

  /**
   * Releases one hold of the calling thread on {@code page}.
   *
   * @throws IllegalMonitorStateException if the calling thread does not hold it
   */
  void unlock(GlobalAddress page) {
    Entry entry = locks.get(page);
    if (entry == null || !entry.lock.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException("page " + page + " is not locked by thread "
          + Thread.currentThread().getName());
    }
    entry.lock.unlock();
    locks.computeIfPresent(page, (address, e) -> --e.users == 0 ? null : e);
  }

  /** True when the calling thread holds {@code page}'s lock. */
  boolean isHeldByCurrentThread(GlobalAddress page) {
    Entry entry = locks.get(page);
    return entry != null && entry.lock.isHeldByCurrentThread();
  }

  /** How many holds the calling thread has on {@code page}'s lock. */
  int holdCount(GlobalAddress page) {
    Entry entry = locks.get(page);
    return entry == null ? 0 : entry.lock.getHoldCount();
  }

  /** Pages with a lock in use (held or awaited). */
  int inUse() {
    return locks.size();
  }
}
