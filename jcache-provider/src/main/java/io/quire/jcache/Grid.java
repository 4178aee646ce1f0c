package io.quire.jcache;

import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;

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

  /** Carries entry events of shared caches to the other nodes; {@link EventBus#NONE} on a single node. */
  default EventBus events() {
    return EventBus.NONE;
  }

  /** What the node has done so far. */
  GridMetrics metrics();

  @Override
  void close();
}
