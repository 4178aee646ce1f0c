package io.quire.core.memory;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;

/**
 * The memory API (the patent's interface 42): what upper layers call to use the shared space. Addresses are byte
 * addresses; every operation acts on the page that holds the address.
 *
 * <p>All methods are safe for concurrent use. Failures: {@link NullPointerException} for a null argument, {@link
 * UnallocatedAddressException} for an address outside every allocated range (never allocated, freed, or a system
 * page), {@link PageOverflowException} for bytes that do not fit in the page, {@link GridClosedException} once the
 * node is closed.
 */
public interface Memory {

  /** Allocates a fresh range of {@code pages} pages, all reading as zeros, with the given durability. */
  AddressRange allocate(long pages, Durability durability);

  /** The current page that holds {@code address}; a never-written page reads as version 0 with no bytes. */
  Page read(GlobalAddress address);

  /**
   * Writes {@code bytes} into the page that holds {@code address}, starting at the address's offset in the page; the
   * rest of the page keeps its content. Returns the new page. For a persistent range the page is on disk on return.
   */
  Page write(GlobalAddress address, byte[] bytes);

  /**
   * Atomically replaces the page that holds {@code address} by {@code update} applied to its current content: no
   * other write of the page comes between the read and the write.
   */
  Page update(GlobalAddress address, PageUpdate update);

  /**
   * Takes the page's lock for the calling thread (reentrant): until the matching {@link #unlock}, writes and updates
   * of the page from other threads wait. Reads never wait.
   */
  void lock(GlobalAddress address);

  /**
   * Releases one {@link #lock} of the page by the calling thread.
   *
   * @throws IllegalMonitorStateException if the calling thread does not hold it
   */
  void unlock(GlobalAddress address);

  /** Frees the range that starts at {@code rangeStart}; its addresses are never handed out again. */
  void free(GlobalAddress rangeStart);
}
