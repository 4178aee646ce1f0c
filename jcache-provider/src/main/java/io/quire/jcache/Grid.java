package io.quire.jcache;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import java.util.function.BiConsumer;

/**
 * The grid node a cache manager keeps its caches on: its memory, page size and catalog of persistent caches. Shared
 * by every manager configured for the same node, and closed by the provider when the last of them closes.
 */
interface Grid extends AutoCloseable {

  /** The node's memory API. */
  Memory memory();

  /** The grid's page size. */
  PageSize pageSize();

  /** Where the grid records its shared and persistent caches: a file on a single node, pages on a cluster. */
  CacheCatalog catalog();

  /** Whether a cache on this grid may be stored by reference (only on a single node). */
  boolean singleNode();

  /**
   * Whether every cache on this grid is shared by name with the whole cluster: created programmatically on one node,
   * found by {@code getCache} on another, and living until destroyed (a cluster over a network). False where only
   * descriptor caches are shared (an in-JVM cluster) or nothing is (a single node).
   */
  default boolean clusterWideCaches() {
    return false;
  }

  /**
   * Tells every manager on every node of the grid, this one's included, that cache {@code name} on the range at
   * {@code rangeStart} was destroyed, so that they close what they hold of it. Nothing to tell on a grid without
   * {@linkplain #clusterWideCaches cluster-wide caches}.
   */
  default void announceDestroyed(String name, GlobalAddress rangeStart) {}

  /**
   * Calls {@code listener} with the name and range of every cache {@linkplain #announceDestroyed destroyed} on the
   * grid from now on, on a thread of the grid's (hand slow work on).
   *
   * @return stops the calls
   */
  default Runnable onDestroyed(BiConsumer<String, GlobalAddress> listener) {
    return () -> {};
  }

  /** Carries entry events of shared caches to the other nodes; {@link EventBus#NONE} on a single node. */
  default EventBus events() {
    return EventBus.NONE;
  }

  /** What the node has done so far. */
  GridMetrics metrics();

  /**
   * Whether the node holds its pages {@code k} times now; may wait briefly for the node's engine. Unknown unless a
   * grid can tell.
   *
   * @param k the replication factor of the manager's descriptor; a grid with a fixed one of its own reports that
   */
  default ReplicationStatus replication(int k) {
    return new ReplicationStatus(k, metrics().members(), ReplicationStatus.State.UNKNOWN);
  }

  @Override
  void close();
}
