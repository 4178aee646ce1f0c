package io.quire.spi.store;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;

/**
 * A node-local tier that holds pages by address: the RAM tier, the disk tier, or a test double. Implementations must
 * be safe for concurrent use; ordering between writes of the same page is the caller's (the pager serialises them).
 */
public interface PageStore extends AutoCloseable {

  /**
   * The page stored at {@code pageAddress}, or {@code null} when this store holds none. Never a partially written
   * page: a store that finds damaged bytes throws {@link CorruptPageException}.
   */
  Page read(GlobalAddress pageAddress);

  /**
   * Stores {@code page}, replacing any page at its address. In a durable store the page survives a crash of the
   * process once this returns.
   */
  void write(Page page);

  /**
   * Stores {@code page} without the durability promise: it may be buffered until the next {@link #write}, {@link
   * #flush} or {@link #close}, and lost by a crash before then. Reads see it at once. Stores with nothing to buffer
   * just write.
   */
  default void writeLazily(Page page) {
    write(page);
  }

  /** Removes the page at {@code pageAddress}; true when there was one. */
  boolean remove(GlobalAddress pageAddress);

  /**
   * Removes the page at {@code pageAddress} without the durability promise, as {@link #writeLazily} writes: a crash
   * before the next {@link #write}, {@link #flush} or {@link #close} may bring the page back. For copies whose return
   * is harmless (an older version loses to a newer one). Stores with nothing to buffer just remove.
   */
  default boolean removeLazily(GlobalAddress pageAddress) {
    return remove(pageAddress);
  }

  /** Removes every page whose address lies in {@code range}; returns how many were removed. */
  long removeRange(AddressRange range);

  /** Makes every earlier write durable. */
  void flush();

  /** The number of pages held. */
  long pageCount();

  /**
   * The addresses of every page held, in address order: what a restarted node reports it has. A snapshot; writes
   * made meanwhile may or may not be in it.
   */
  java.util.List<GlobalAddress> addresses();

  /** Flushes and releases the store's resources; later calls throw {@link StoreClosedException}. */
  @Override
  void close();
}
