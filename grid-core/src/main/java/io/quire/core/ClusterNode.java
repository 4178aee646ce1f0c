package io.quire.core;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressGenerator;
import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceEngine;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.DirectoryResponsibility;
import io.quire.core.coherence.OperationRegistry;
import io.quire.core.coherence.Placement;
import io.quire.core.coherence.Topology;
import io.quire.core.directory.Directory;
import io.quire.core.memory.ClusterMemory;
import io.quire.core.memory.Memory;
import io.quire.core.memory.SystemPages;
import io.quire.core.message.MessageCodec;
import io.quire.core.runtime.GridRuntime;
import io.quire.core.runtime.SerialMailbox;
import io.quire.spi.store.PageStore;
import io.quire.spi.transport.Transport;
import io.quire.store.Pager;
import io.quire.store.disk.DiskPageStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One node of a cluster: its data directory and tiers, its own directory and address region, and a coherence engine
 * on the given transport, behind the memory API (see {@code docs/design/cluster-node.md}). Any node can use any page;
 * each page is kept on {@code k} nodes.
 */
public final class ClusterNode implements AutoCloseable {
  /** How long a memory operation that needs other nodes may take before it fails. */
  public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

  private final NodeDataDirectory data;
  private final Pager pager;
  private final PageStore replicas;
  private final SerialMailbox mailbox;
  private final CoherenceEngine engine;
  private final ClusterMemory memory;
  private final ApplicationChannel messages;
  private final Directory directory;
  private final AddressGenerator dataGenerator;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private ClusterNode(NodeDataDirectory data, Pager pager, PageStore replicas, SerialMailbox mailbox,
      CoherenceEngine engine, ClusterMemory memory, ApplicationChannel messages, Directory directory,
      AddressGenerator dataGenerator) {
    this.data = data;
    this.pager = pager;
    this.replicas = replicas;
    this.mailbox = mailbox;
    this.engine = engine;
    this.memory = memory;
    this.messages = messages;
    this.directory = directory;
    this.dataGenerator = dataGenerator;
  }

  /**
   * Opens the node as {@link #open(GridConfig, Transport, GridRuntime, int, Topology)} does, placing replicas by the
   * groups the transport learns from its membership ({@link Transport#groupOf}): over JGroups every member's group
   * rides in its address, so the members of a view agree on them.
   */
  public static ClusterNode open(GridConfig config, Transport transport, GridRuntime runtime, int k) {
    requireNonNull(transport, "transport");
    return open(config, transport, runtime, k, transport::groupOf);
  }

  /**
   * Opens the node kept in {@code config.dataDirectory()} and joins the cluster through {@code transport}, whose node
   * id must be the data directory's. A restarted node reports the pages on its disk before it serves.
   *
   * @param k how many nodes hold every page
   * @param topology the nodes' group paths, for placing replicas
   */
  public static ClusterNode open(GridConfig config, Transport transport, GridRuntime runtime, int k,
      Topology topology) {
    requireNonNull(config, "config");
    requireNonNull(transport, "transport");
    NodeDataDirectory data = NodeDataDirectory.open(config.dataDirectory(), config.pageSize());
    if (!transport.localNode().equals(data.nodeId())) {
      throw new GridConfigurationException(data.root() + " belongs to " + data.nodeId() + " but the transport is "
          + transport.localNode() + "; start the transport with the data directory's node id");
    }
    PageStore disk = DiskPageStore.open(data.pagesDirectory(), config.pageSize());
    PageStore replicaStore = DiskPageStore.open(data.replicasDirectory(), config.pageSize());
    Pager pager = new Pager(config.ramBudgetBytes(), disk);
    AddressSpaceLayout layout = new AddressSpaceLayout(config.pageSize());
    AddressGenerator[] directoryGenerator = new AddressGenerator[1];
    SystemPages system = new SystemPages(pager, () -> directoryGenerator[0]);
    directoryGenerator[0] = new AddressGenerator(system.claimRecord(layout.directoryClaimPage()),
        layout.directoryRegion(), config.spanningUnitPages());
    AddressGenerator dataGenerator = new AddressGenerator(system.claimRecord(layout.dataClaimPage()),
        layout.dataRegion(data.nodeId()), config.spanningUnitPages());
    Directory directory = Directory.open(system, config.pageSize());
    // The engine runs on the thread that brings it work when it is idle (SerialMailbox): a hand-off to a thread of
    // its own cost a thread wake-up per message and per client call.
    SerialMailbox mailbox = new SerialMailbox("quire-engine-" + data.nodeId());
    // The layers above share the engine's transport: application frames are taken out before the engine sees them.
    ApplicationChannel.Wrapped wrapped = ApplicationChannel.wrap(transport);
    CoherenceEngine engine = new CoherenceEngine(data.nodeId(), wrapped.engineTransport(),
        new MessageCodec(config.pageSize()), runtime, mailbox, pager, replicaStore,
        new DirectoryResponsibility(data.nodeId(), directory, k, transport::currentView, topology), OperationRegistry.of(),
        new SplittableRandom(new SecureRandom().nextLong()), CoherenceSettings.DEFAULTS, new Placement(topology),
        () -> data.root().toFile().getUsableSpace());
    List<GlobalAddress> ownPages = disk.addresses().stream().filter(page -> !layout.isSystem(page)).toList();
    engine.restore(ownPages, replicaStore.addresses());
    engine.start();
    ClusterMemory memory = new ClusterMemory(data.nodeId(), engine, directory, dataGenerator, layout,
        config.pageSize(), OPERATION_TIMEOUT);
    return new ClusterNode(data, pager, replicaStore, mailbox, engine, memory, wrapped.channel(), directory,
        dataGenerator);
  }

  /** The memory API of this node. */
  public Memory memory() {
    return memory;
  }

  /** Messages of the layers above the grid to and from the other nodes, and the membership views. */
  public ApplicationChannel messages() {
    return messages;
  }

  /** This node's stable id. */
  public NodeId id() {
    return data.nodeId();
  }

  /**
   * What this node's tiers hold (the pages it owns and its read copies; backup copies of other nodes' pages are kept
   * apart and not counted), its paging since start, and its own directory's ranges.
   */
  public GridStats stats() {
    return new GridStats(pager.ramPages(), pager.ramBytes(), pager.ramBudgetBytes(), pager.diskPages(),
        pager.pageIns(), pager.pageOuts(), directory.rangeCount(), directory.depth(), dataGenerator.nextFree());
  }

  /** This node's coherence engine, for its message counts. */
  public CoherenceEngine engine() {
    return engine;
  }

  /** Hands this node's pages and backup copies to the others (k copies hold throughout), then closes. */
  public void leave() {
    try {
      engine.leave().get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new GridException("node " + id() + " could not hand its pages over: " + e, e);
    } finally {
      close();
    }
  }

  /** Leaves the cluster at once (the others promote copies as after a crash) and closes the tiers. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    memory.close();
    engine.close();
    messages.close();
    mailbox.shutdown();
    try {
      mailbox.awaitTermination(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pager.close();
    replicas.close();
  }
}
