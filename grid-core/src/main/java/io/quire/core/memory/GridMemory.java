package io.quire.core.memory;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.address.AddressGenerator;
import io.quire.core.address.AddressRange;
import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.directory.Directory;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import io.quire.store.Pager;

/** The memory API of one node: each call becomes an {@link Operation} that the flow scheduler routes to its handler. */
public final class GridMemory implements Memory {
  private final LocalPages pages;
  private final FlowScheduler scheduler;

  /**
   * @param self this node, named responsible for the ranges it allocates
   * @param dataGenerator hands out the data region's addresses
   */
  public GridMemory(NodeId self, Pager pager, Directory directory, AddressGenerator dataGenerator,
      AddressSpaceLayout layout, PageSize pageSize) {
    this.pages = new LocalPages(self.toString(), pager, directory, layout, pageSize);
    this.scheduler = new FlowScheduler(new AllocateHandler(pages, dataGenerator, self), new ReadHandler(pages),
        new WriteHandler(pages), new UpdateHandler(pages), new LockHandler(pages), new UnlockHandler(pages),
        new FreeHandler(pages));
  }

  @Override
  public AddressRange allocate(long pages, Durability durability) {
    requireNonNull(durability, "durability");
    this.pages.requireOpen();
    return scheduler.dispatch(new Operation.Allocate(pages, durability));
  }

  @Override
  public Page read(GlobalAddress address) {
    requireNonNull(address, "address");
    pages.requireOpen();
    return scheduler.dispatch(new Operation.Read(address));
  }

  @Override
  public Page write(GlobalAddress address, byte[] bytes) {
    requireNonNull(address, "address");
    requireNonNull(bytes, "bytes");
    pages.requireOpen();
    return scheduler.dispatch(new Operation.Write(address, bytes));
  }

  @Override
  public Page update(GlobalAddress address, PageUpdate update) {
    requireNonNull(address, "address");
    requireNonNull(update, "update");
    pages.requireOpen();
    return scheduler.dispatch(new Operation.Update(address, update));
  }

  @Override
  public void lock(GlobalAddress address) {
    requireNonNull(address, "address");
    pages.requireOpen();
    scheduler.dispatch(new Operation.Lock(address));
  }

  @Override
  public void unlock(GlobalAddress address) {
    requireNonNull(address, "address");
    scheduler.dispatch(new Operation.Unlock(address));
  }

  @Override
  public void free(GlobalAddress rangeStart) {
    requireNonNull(rangeStart, "rangeStart");
    pages.requireOpen();
    scheduler.dispatch(new Operation.Free(rangeStart));
  }

  /**
   * Refuses further calls once the writes in flight have finished; the caller then closes the pager. True on the
   * first call.
   */
  public boolean close() {
    return pages.markClosed();
  }
}
