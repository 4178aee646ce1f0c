package io.quire.jcache;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.coherence.Topology;
import io.quire.core.memory.Memory;
import io.quire.core.page.Durability;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster of N nodes in this JVM on the in-JVM transport, with {@code k} = {@value #K}, seen from one of its nodes (the
 * first, for the grid {@link #open} returns). New ranges are allocated on the nodes in turn, so most cache pages belong to another node and every
 * operation on them crosses the coherence protocol: this is how the TCK's second pass runs, and a way to try a
 * cluster without a network. Its data lives in a temporary directory deleted when it closes.
 */
final class InJvmClusterGrid implements Grid {
  /** The replication factor of every in-JVM cluster. */
  static final int K = 2;

  private final LocalNetwork network;
  private final List<ClusterNode> nodes;
  private final Path directory;
  private final PageSize pageSize;
  private final CacheCatalog catalog;
  private final Memory memory;
  private final boolean owner;
  private final InJvmEventBus events;
  private final int home;

  private InJvmClusterGrid(LocalNetwork network, List<ClusterNode> nodes, Path directory, PageSize pageSize,
      InJvmEventBus events, int home, boolean owner) {
    this.network = network;
    this.nodes = nodes;
    this.directory = directory;
    this.pageSize = pageSize;
    this.memory = new RoundRobinAllocation(nodes, home);
    // The catalog lives in the cluster's pages, reached through this node, as on a cluster over a network.
    this.catalog = new PageCacheCatalog(memory, pageSize);
    this.owner = owner;
    this.events = events;
    this.home = home;
  }

  /**
   * The same cluster seen from node {@code index}: its memory is that node's, its catalog the cluster's, and closing it
   * leaves the cluster running (only the grid returned by {@link #open} closes the cluster).
   */
  InJvmClusterGrid view(int index) {
    return new InJvmClusterGrid(network, nodes, directory, pageSize, events, index, false);
  }

  static InJvmClusterGrid open(int size, GridConfig template) {
    if (size < 2) {
      throw new IllegalArgumentException("an in-JVM cluster needs at least 2 nodes, not " + size);
    }
    Path directory;
    try {
      directory = Files.createTempDirectory("quire-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the in-JVM cluster", e);
    }
    LocalNetwork network = LocalNetwork.threaded();
    List<ClusterNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < size; i++) {
        GridConfig config = GridConfig.defaults(directory.resolve("node-" + i)).withPageSize(template.pageSize())
            .withRamBudgetBytes(template.ramBudgetBytes());
        NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
        LocalTransport transport = network.transport(id);
        nodes.add(ClusterNode.open(config, transport, transport.runtime(), K, Topology.FLAT));
      }
      return new InJvmClusterGrid(network, nodes, directory, template.pageSize(), new InJvmEventBus(), 0, true);
    } catch (RuntimeException e) {
      nodes.forEach(ClusterNode::close);
      network.close();
      throw e;
    }
  }

  @Override
  public Memory memory() {
    return memory;
  }

  @Override
  public PageSize pageSize() {
    return pageSize;
  }

  @Override
  public CacheCatalog catalog() {
    return catalog;
  }

  @Override
  public boolean singleNode() {
    return false;
  }

  @Override
  public GridMetrics metrics() {
    return GridMetrics.of(nodes.get(home), network.view().size());
  }

  /** Node {@code home}'s answer ({@link ClusterReplication}); this cluster's {@code k} is always {@value #K}. */
  @Override
  public ReplicationStatus replication(int k) {
    return ClusterReplication.of(nodes.get(home), K, network.view());
  }

  /** For tests: closes node {@code index} without handing its pages over, as if it had crashed. */
  void closeNode(int index) {
    nodes.get(index).close();
  }

  @Override
  public EventBus events() {
    return events;
  }

  @Override
  public void close() {
    if (!owner) {
      return;
    }
    events.close();
    nodes.forEach(ClusterNode::close);
    network.close();
    SingleNodeGrid.deleteTree(directory);
  }

  @Override
  public String toString() {
    return "in-JVM cluster of " + nodes.size() + " nodes at " + directory;
  }

  /** One node's memory, except that each allocation is made by the next node in turn. */
  private static final class RoundRobinAllocation extends ForwardingMemory {
    private final List<ClusterNode> nodes;
    private final AtomicLong next;

    RoundRobinAllocation(List<ClusterNode> nodes, int home) {
      super(nodes.get(home).memory());
      this.nodes = nodes;
      this.next = new AtomicLong(home + 1L);
    }

    @Override
    public AddressRange allocate(long pages, Durability durability) {
      int i = (int) (next.getAndIncrement() % nodes.size());
      return nodes.get(i).memory().allocate(pages, durability);
    }

    @Override
    public void free(GlobalAddress rangeStart) {
      // Only the allocating node's directory knows the range, and a data address carries that node's id.
      for (ClusterNode node : nodes) {
        if (node.id().value() == rangeStart.hi()) {
          node.memory().free(rangeStart);
          return;
        }
      }
      home.free(rangeStart);
    }
  }
}
