package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import io.quire.core.runtime.SystemRuntime;
import io.quire.jcache.config.NodeDescriptor;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportFactory;
import io.quire.spi.transport.TransportSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheException;

/**
 * This JVM's node of a cluster over a network transport (JGroups, found through {@link TransportFactory}): a {@link
 * ClusterNode} on the descriptor's data directory, with the cache catalog in the cluster's well-known pages ({@link
 * PageCacheCatalog}) and entry events on the node's application channel ({@link ClusterEventBus}). Every cache on it
 * is shared by name with the cluster.
 *
 * <p>Only the node that allocated a range can free it (its directory holds the range), so {@link Memory#free} of
 * another node's range is forwarded to that node as a request on topic {@value #FREE}; while that node is away, the
 * range stays allocated (its addresses are never reused anyway).
 *
 * <p>Thread-safe: the fields are final and the parts are.
 */
final class ClusterGrid implements Grid {
  static final String FREE = "quire.memory.free";
  static final String DESTROYED = "quire.jcache.destroyed";
  private static final Duration FREE_TIMEOUT = ClusterNode.OPERATION_TIMEOUT;
  private static final System.Logger LOG = System.getLogger(ClusterGrid.class.getName());

  private final ClusterNode node;
  private final SystemRuntime system;
  private final PageSize pageSize;
  private final Memory memory;
  private final PageCacheCatalog catalog;
  private final ClusterEventBus events;
  private final Runnable unregisterFree;
  private final Runnable unregisterDestroyed;
  // Managers on this node that want to hear of destroyed caches; copy-on-write, called on the delivery thread.
  private final List<BiConsumer<String, GlobalAddress>> destroyedListeners = new CopyOnWriteArrayList<>();
  private final String description;

  /**
   * @param system the runtime the node runs on when this grid owns the node (closes it with the node), or null for a
   *     node attached by its owner ({@link #attach}), which this grid never closes
   */
  private ClusterGrid(ClusterNode node, SystemRuntime system, PageSize pageSize, String description) {
    this.node = node;
    this.system = system;
    this.pageSize = pageSize;
    this.description = description;
    this.memory = new ForwardingFree(node);
    this.catalog = new PageCacheCatalog(memory, pageSize);
    this.events = new ClusterEventBus(node.messages());
    this.unregisterFree = node.messages().register(FREE, this::onFree);
    this.unregisterDestroyed = node.messages().register(DESTROYED, this::onDestroyedMessage);
  }

  /**
   * Opens the node {@code descriptor} describes and joins its cluster over {@code factory}'s transport.
   *
   * @throws CacheException naming the descriptor's location if the node cannot start
   */
  static ClusterGrid open(NodeDescriptor descriptor, TransportFactory factory) {
    requireNonNull(descriptor, "descriptor");
    requireNonNull(factory, "factory");
    GridConfig config = descriptor.toGridConfig();
    NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
    TransportSettings settings = new TransportSettings(descriptor.cluster(), descriptor.network().stack(),
        descriptor.network().bindAddress(), descriptor.network().port(), descriptor.network().initialMembers(),
        descriptor.network().security(), descriptor.group());
    SystemRuntime system = SystemRuntime.start();
    ClusterNode node = null;
    try {
      Transport transport = factory.create(id, settings, system.runtime());
      // Replicas are placed by the groups the members carry in the transport's views (each its descriptor's group).
      node = ClusterNode.open(config, transport, system.runtime(), descriptor.replication());
      return new ClusterGrid(node, system, config.pageSize(), factory.name() + " node " + id + " of cluster '"
          + descriptor.cluster() + "' at " + config.dataDirectory());
    } catch (RuntimeException e) {
      if (node != null) {
        node.close();
      }
      system.close();
      throw new CacheException(descriptor.location() + ": node " + id + " could not join cluster '"
          + descriptor.cluster() + "' over " + factory.name() + ": " + e.getMessage(), e);
    }
  }

  /** A grid over a node its caller runs and closes (the {@code quire node} launcher); closing the grid leaves it be. */
  static ClusterGrid attach(ClusterNode node, PageSize pageSize, String description) {
    return new ClusterGrid(requireNonNull(node, "node"), null, requireNonNull(pageSize, "pageSize"), description);
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
  public boolean clusterWideCaches() {
    return true;
  }

  @Override
  public EventBus events() {
    return events;
  }

  @Override
  public GridMetrics metrics() {
    return GridMetrics.of(node, node.messages().view().size());
  }

  /** This node's answer for the pages it owns ({@link ClusterReplication}), with the descriptor's {@code k}. */
  @Override
  public ReplicationStatus replication(int k) {
    return ClusterReplication.of(node, k, node.messages().view());
  }

  @Override
  public void announceDestroyed(String name, GlobalAddress rangeStart) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] payload = ByteBuffer.allocate(16 + nameBytes.length).putLong(rangeStart.hi()).putLong(rangeStart.lo())
        .put(nameBytes).array();
    // To this node too (through the same path), so that other managers here close their instance as well.
    for (NodeId member : node.messages().view().members()) {
      node.messages().send(member, DESTROYED, payload);
    }
  }

  @Override
  public Runnable onDestroyed(BiConsumer<String, GlobalAddress> listener) {
    destroyedListeners.add(listener);
    return () -> destroyedListeners.remove(listener);
  }

  // 16 bytes of range start, then the cache name in UTF-8 (at least one byte).
  private byte[] onDestroyedMessage(NodeId from, byte[] payload) {
    if (payload.length <= 16) {
      throw new IllegalArgumentException("a destroyed-cache notice from " + from + " has " + payload.length
          + " bytes; at least 17 expected");
    }
    ByteBuffer in = ByteBuffer.wrap(payload);
    GlobalAddress start = new GlobalAddress(in.getLong(), in.getLong());
    String name = new String(payload, 16, payload.length - 16, StandardCharsets.UTF_8);
    for (BiConsumer<String, GlobalAddress> listener : destroyedListeners) {
      listener.accept(name, start);
    }
    return null;
  }

  /** This node's id. */
  NodeId nodeId() {
    return node.id();
  }

  @Override
  public void close() {
    unregisterFree.run();
    unregisterDestroyed.run();
    events.close();
    if (system == null) {
      return; // an attached node: its owner leaves and closes it
    }
    try {
      // With other members, hand this node's pages over so that k copies hold while it is gone.
      if (node.messages().view().size() > 1) {
        node.leave();
      } else {
        node.close();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, description + " did not hand its pages over before closing", e);
    } finally {
      system.close();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  // A request from another node to free a range this node allocated: 16 bytes, the range's start.
  private byte[] onFree(NodeId from, byte[] payload) {
    if (payload.length != 16) {
      throw new IllegalArgumentException("a free request from " + from + " has " + payload.length
          + " bytes, not 16");
    }
    ByteBuffer in = ByteBuffer.wrap(payload);
    GlobalAddress start = new GlobalAddress(in.getLong(), in.getLong());
    if (start.hi() != node.id().value()) {
      throw new IllegalArgumentException(from + " asked " + node.id() + " to free " + start
          + ", which another node allocated");
    }
    node.memory().free(start);
    return null;
  }

  /** The node's memory, except that freeing another node's range asks that node to free it. */
  private static final class ForwardingFree extends ForwardingMemory {
    private final ClusterNode node;

    ForwardingFree(ClusterNode node) {
      super(node.memory());
      this.node = node;
    }

    @Override
    public void free(GlobalAddress rangeStart) {
      NodeId allocator = new NodeId(rangeStart.hi());
      if (allocator.equals(node.id()) || !node.messages().view().contains(allocator)) {
        if (!allocator.equals(node.id())) {
          LOG.log(System.Logger.Level.WARNING, "range " + rangeStart + " stays allocated: " + allocator
              + ", which allocated it, is not in the view");
          return;
        }
        home.free(rangeStart);
        return;
      }
      byte[] payload = ByteBuffer.allocate(16).putLong(rangeStart.hi()).putLong(rangeStart.lo()).array();
      try {
        node.messages().request(allocator, FREE, payload, FREE_TIMEOUT)
            .get(FREE_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new CacheException(allocator + " could not free range " + rangeStart + ": " + e.getCause().getMessage(),
            e.getCause());
      } catch (TimeoutException e) {
        throw new CacheException(allocator + " did not free range " + rangeStart + " within " + FREE_TIMEOUT, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CacheException("interrupted while " + allocator + " freed range " + rangeStart, e);
      }
    }
  }
}
