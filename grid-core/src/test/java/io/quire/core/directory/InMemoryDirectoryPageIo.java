package io.quire.core.directory;

import io.quire.core.address.GlobalAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DirectoryPageIo} over a map, for tests. It copies bytes in and out (so the directory cannot share arrays
 * with it by accident), counts reads, allocates directory pages in a region of their own ({@code hi = 1}) and fails
 * on a double free or a free of a page never allocated.
 */
final class InMemoryDirectoryPageIo implements DirectoryPageIo {
  private final Map<GlobalAddress, byte[]> pages = new ConcurrentHashMap<>();
  private final Set<GlobalAddress> freed = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextPage = new AtomicLong(1);
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final int pageSize;

  InMemoryDirectoryPageIo(int pageSize) {
    this.pageSize = pageSize;
  }

  @Override
  public byte[] read(GlobalAddress page) {
    reads.incrementAndGet();
    byte[] bytes = pages.get(page);
    return bytes == null ? null : bytes.clone();
  }

  @Override
  public void write(GlobalAddress page, byte[] bytes) {
    if (freed.contains(page)) {
      throw new IllegalStateException("write to freed directory page " + page);
    }
    writes.incrementAndGet();
    pages.put(page, bytes.clone());
  }

  @Override
  public GlobalAddress allocatePage() {
    return new GlobalAddress(1, nextPage.getAndIncrement() * pageSize);
  }

  @Override
  public void freePage(GlobalAddress page) {
    if (page.equals(Directory.ROOT)) {
      throw new IllegalStateException("the root directory page must never be freed");
    }
    if (!freed.add(page)) {
      throw new IllegalStateException("double free of directory page " + page);
    }
    pages.remove(page);
  }

  /** Overwrites a stored page's bytes, bypassing the directory (to simulate damage). */
  void corrupt(GlobalAddress page, byte[] bytes) {
    pages.put(page, bytes);
  }

  byte[] stored(GlobalAddress page) {
    return pages.get(page);
  }

  long reads() {
    return reads.get();
  }

  long writes() {
    return writes.get();
  }

  int freedCount() {
    return freed.size();
  }

  /** Directory pages currently stored, the root included. */
  int livePages() {
    return pages.size();
  }
}
