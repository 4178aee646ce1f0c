package io.quire.core.memory;

import static java.util.Objects.requireNonNull;

import io.quire.core.GridException;
import io.quire.core.NodeId;
import io.quire.core.address.AddressGenerator;
import io.quire.core.address.AddressRange;
import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.coherence.CoherenceEngine;
import io.quire.core.coherence.RefusedException;
import io.quire.core.coherence.WriteResult;
import io.quire.core.directory.Directory;
import io.quire.core.directory.RangeEntry;
import io.quire.core.message.Bytes;
import io.quire.core.message.PageOp;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The memory API of one node of a cluster (see {@code docs/design/cluster-node.md}): allocation from the node's own
 * region with its own directory, and every page operation through the coherence engine, so any node can use any
 * page. A read hit stays on the caller's thread.
 *
 * <p>An {@link #update} function runs on the node's engine thread, once the page is owned here: keep it short, and do
 * not call the memory API from it (that would wait for the very thread it runs on).
 *
 * <p>Concurrency: {@code structure} orders allocate and free against each other; the engine orders everything else.
 * {@link PageLocks} orders this node's threads that hold a page lock, as in single-node mode; the engine's lock keeps
 * other nodes out while any thread here holds it.
 */
public final class ClusterMemory implements Memory {
  private final NodeId self;
  private final CoherenceEngine engine;
  private final Directory directory;
  private final AddressGenerator generator;
  private final AddressSpaceLayout layout;
  private final PageSize pageSize;
  private final Duration timeout;
  private final PageLocks locks = new PageLocks();
  private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /**
   * @param directory this node's directory, of the ranges it allocated
   * @param generator hands out this node's data region
   * @param timeout how long an operation that needs other nodes may take before it fails
   */
  public ClusterMemory(NodeId self, CoherenceEngine engine, Directory directory, AddressGenerator generator,
      AddressSpaceLayout layout, PageSize pageSize, Duration timeout) {
    this.self = requireNonNull(self, "self");
    this.engine = requireNonNull(engine, "engine");
    this.directory = requireNonNull(directory, "directory");
    this.generator = requireNonNull(generator, "generator");
    this.layout = requireNonNull(layout, "layout");
    this.pageSize = requireNonNull(pageSize, "pageSize");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public AddressRange allocate(long pages, Durability durability) {
    requireNonNull(durability, "durability");
    requireOpen();
    if (pages < 1) {
      throw new IllegalArgumentException("cannot allocate " + pages + " pages: a range holds at least one");
    }
    structure.writeLock().lock();
    try {
      AddressRange range = generator.next(pages);
      directory.insert(new RangeEntry(range, self, durability));
      return range;
    } finally {
      structure.writeLock().unlock();
    }
  }

  @Override
  public Page read(GlobalAddress address) {
    GlobalAddress page = dataPage(address);
    Page hit = engine.readLocal(page);
    return hit != null ? hit : await(engine.read(page), address);
  }

  @Override
  public Page write(GlobalAddress address, byte[] bytes) {
    requireNonNull(bytes, "bytes");
    GlobalAddress page = dataPage(address);
    int offset = address.offsetInPage(pageSize);
    if ((long) offset + bytes.length > pageSize.bytes()) {
      throw new PageOverflowException(address, offset, bytes.length, pageSize);
    }
    locks.lock(page);
    try {
      WriteResult done = await(engine.write(page, new PageOp.WriteBytes(offset, Bytes.copyOf(bytes))), address);
      Page local = engine.readLocal(page);
      // A write shipped to another owner leaves no copy here; fetch the page it made.
      return local != null && local.version() >= done.version() ? local : await(engine.read(page), address);
    } finally {
      locks.unlock(page);
    }
  }

  @Override
  public Page update(GlobalAddress address, PageUpdate update) {
    requireNonNull(update, "update");
    GlobalAddress page = dataPage(address);
    locks.lock(page);
    try {
      return await(engine.update(page, update), address);
    } finally {
      locks.unlock(page);
    }
  }

  @Override
  public void lock(GlobalAddress address) {
    GlobalAddress page = dataPage(address);
    locks.lock(page);
    if (locks.holdCount(page) == 1) {
      try {
        await(engine.lock(page), address);
      } catch (RuntimeException e) {
        locks.unlock(page);
        throw e;
      }
    }
  }

  @Override
  public void unlock(GlobalAddress address) {
    requireNonNull(address, "address");
    GlobalAddress page = address.pageBase(pageSize);
    if (locks.holdCount(page) == 1) {
      await(engine.unlock(page), address);
    }
    locks.unlock(page);
  }

  @Override
  public void free(GlobalAddress rangeStart) {
    requireNonNull(rangeStart, "rangeStart");
    requireOpen();
    structure.writeLock().lock();
    try {
      RangeEntry entry = layout.isSystem(rangeStart) ? null : directory.lookup(rangeStart);
      if (entry == null) {
        throw UnallocatedAddressException.notAllocated(rangeStart);
      }
      if (!entry.range().start().equals(rangeStart)) {
        throw UnallocatedAddressException.notRangeStart(rangeStart);
      }
      // The directory first: from now on the engine refuses the range here, then it tells every node to drop it.
      directory.remove(rangeStart);
      await(engine.free(entry.range()), rangeStart);
    } finally {
      structure.writeLock().unlock();
    }
  }

  /** Refuses further calls. */
  public void close() {
    closed = true;
  }

  private GlobalAddress dataPage(GlobalAddress address) {
    requireNonNull(address, "address");
    requireOpen();
    if (layout.isSystem(address)) {
      throw UnallocatedAddressException.system(address);
    }
    return address.pageBase(pageSize);
  }

  private void requireOpen() {
    if (closed) {
      throw new GridClosedException(self.toString());
    }
  }

  private <T> T await(CompletableFuture<T> future, GlobalAddress address) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RefusedException) {
        throw UnallocatedAddressException.notAllocated(address);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new GridException("operation on " + address + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new GridException("operation on " + address + " did not complete within " + timeout
          + ": the nodes it needs may be unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GridException("interrupted while waiting for " + address, e);
    }
  }
}
