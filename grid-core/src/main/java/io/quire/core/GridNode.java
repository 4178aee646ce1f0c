package io.quire.core;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressGenerator;
import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.directory.Directory;
import io.quire.core.memory.GridMemory;
import io.quire.core.memory.Memory;
import io.quire.core.memory.SystemPages;
import io.quire.spi.store.PageStore;
import io.quire.store.Pager;
import io.quire.store.disk.DiskPageStore;

/**
 * One node of the grid (the patent's shared memory subsystem): its data directory, RAM and disk tiers, directory,
 * address generators and memory API, wired together. Open it, use {@link #memory()}, close it.
 */
public final class GridNode implements AutoCloseable {
  private final NodeDataDirectory data;
  private final Pager pager;
  private final Directory directory;
  private final GridMemory memory;
  private final AddressGenerator dataGenerator;

  private GridNode(NodeDataDirectory data, Pager pager, Directory directory, AddressGenerator dataGenerator,
      GridMemory memory) {
    this.data = data;
    this.pager = pager;
    this.directory = directory;
    this.dataGenerator = dataGenerator;
    this.memory = memory;
  }

  /**
   * Opens the node kept in {@code config.dataDirectory()}, creating it if the directory is new or empty.
   *
   * @throws GridConfigurationException if the directory's identity is malformed or disagrees with the config
   * @throws io.quire.spi.store.StoreException if the disk file is missing, locked or corrupted
   */
  public static GridNode open(GridConfig config) {
    requireNonNull(config, "config");
    NodeDataDirectory data = NodeDataDirectory.open(config.dataDirectory(), config.pageSize());
    PageStore disk = DiskPageStore.open(data.pagesDirectory(), config.pageSize());
    Pager pager = new Pager(config.ramBudgetBytes(), disk);
    try {
      AddressSpaceLayout layout = new AddressSpaceLayout(config.pageSize());
      AddressGenerator[] directoryGenerator = new AddressGenerator[1];
      SystemPages system = new SystemPages(pager, () -> directoryGenerator[0]);
      directoryGenerator[0] = new AddressGenerator(system.claimRecord(layout.directoryClaimPage()),
          layout.directoryRegion(), config.spanningUnitPages());
      AddressGenerator dataGenerator = new AddressGenerator(system.claimRecord(layout.dataClaimPage()),
          layout.dataRegion(), config.spanningUnitPages());
      Directory directory = Directory.open(system, config.pageSize());
      GridMemory memory = new GridMemory(data.nodeId(), pager, directory, dataGenerator, layout,
          config.pageSize());
      return new GridNode(data, pager, directory, dataGenerator, memory);
    } catch (RuntimeException e) {
      pager.close();
      throw e;
    }
  }

  /** The memory API of this node. */
  public Memory memory() {
    return memory;
  }

  /** This node's stable id. */
  public NodeId id() {
    return data.nodeId();
  }

  /** What the node holds now, for status displays and tests. */
  public GridStats stats() {
    return new GridStats(pager.ramPages(), pager.ramBytes(), pager.ramBudgetBytes(), pager.diskPages(),
        pager.pageIns(), pager.pageOuts(), directory.rangeCount(), directory.depth(), dataGenerator.nextFree());
  }

  /**
   * Waits for writes in flight, writes every dirty page to disk and closes the tiers. Idempotent. Every page written
   * before the call, volatile ones included, is there when the same directory is opened again.
   */
  @Override
  public void close() {
    if (memory.close()) {
      pager.close();
    }
  }

  @Override
  public String toString() {
    return "GridNode{" + data.nodeId() + " at " + data.root() + "}";
  }
}
