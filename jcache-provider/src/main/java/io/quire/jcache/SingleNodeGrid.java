package io.quire.jcache;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.GridStats;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A grid of one node in this JVM; with {@code ephemeral}, its data directory is deleted when it closes. */
final class SingleNodeGrid implements Grid {
  private final GridNode node;
  private final GridConfig config;
  private final CacheCatalog catalog;
  private final boolean ephemeral;

  private SingleNodeGrid(GridNode node, GridConfig config, boolean ephemeral) {
    this.node = node;
    this.config = config;
    this.ephemeral = ephemeral;
    this.catalog = FileCacheCatalog.open(config.dataDirectory());
  }

  static SingleNodeGrid open(GridConfig config, boolean ephemeral) {
    GridNode node = GridNode.open(config);
    try {
      return new SingleNodeGrid(node, config, ephemeral);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  @Override
  public Memory memory() {
    return node.memory();
  }

  @Override
  public PageSize pageSize() {
    return config.pageSize();
  }

  @Override
  public CacheCatalog catalog() {
    return catalog;
  }

  @Override
  public boolean singleNode() {
    return true;
  }

  @Override
  public GridMetrics metrics() {
    GridStats stats = node.stats();
    return new GridMetrics(stats.ramPages(), stats.ramBytes(), stats.diskPages(), stats.pageIns(), stats.pageOuts(),
        0, 0, 0, 0, 1);
  }

  /** Satisfied: every page has its one copy, which is all a view of one member allows for any {@code k}. */
  @Override
  public ReplicationStatus replication(int k) {
    return new ReplicationStatus(k, 1, ReplicationStatus.State.SATISFIED);
  }

  @Override
  public void close() {
    node.close();
    if (ephemeral) {
      deleteTree(config.dataDirectory());
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  @Override
  public String toString() {
    return "single node " + node.id() + " at " + config.dataDirectory();
  }
}
