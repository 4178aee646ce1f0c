package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.memory.Memory;
import io.quire.core.memory.PageUpdate;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;

/**
 * A node's memory with some operations routed elsewhere: subclasses override what a cluster grid must route (where
 * ranges are allocated, which node frees a range); everything else goes to {@link #home}. Stateless beyond its
 * delegate: as thread-safe as the delegate.
 */
abstract class ForwardingMemory implements Memory {
  /** The memory of the node the grid's caches run on. */
  protected final Memory home;

  ForwardingMemory(Memory home) {
    this.home = requireNonNull(home, "home");
  }

  @Override
  public AddressRange allocate(long pages, Durability durability) {
    return home.allocate(pages, durability);
  }

  @Override
  public Page read(GlobalAddress address) {
    return home.read(address);
  }

  @Override
  public Page write(GlobalAddress address, byte[] bytes) {
    return home.write(address, bytes);
  }

  @Override
  public Page update(GlobalAddress address, PageUpdate update) {
    return home.update(address, update);
  }

  @Override
  public void lock(GlobalAddress address) {
    home.lock(address);
  }

  @Override
  public void unlock(GlobalAddress address) {
    home.unlock(address);
  }

  @Override
  public void free(GlobalAddress rangeStart) {
    home.free(rangeStart);
  }
}
