package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

import io.quire.core.GridConfig;
import io.quire.core.address.PageSize;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code <node>} element: one node's grid settings.
 *
 * @param name optional node name; {@value #DEFAULT_NAME} when absent
 * @param pageSize the grid's page size
 * @param ramBudgetBytes the RAM tier budget in bytes, at least one page
 * @param dataDirectory the data directory; when absent, {@link #effectiveDataDirectory()} picks one under
 *     {@code java.io.tmpdir}
 * @param transport how the node reaches its peers
 * @param cluster the cluster name
 * @param replication the replication factor k, {@value #MIN_REPLICATION}..{@value #MAX_REPLICATION}
 * @param group the failure-group path, e.g. {@code site-a/rack-1}
 * @param network how a {@code jgroups} node reaches its peers: stack, bind address, port, initial members
 * @param location where the element was declared ({@link Location#PROGRAMMATIC} for defaults)
 */
public record NodeDescriptor(
    Optional<String> name,
    PageSize pageSize,
    long ramBudgetBytes,
    Optional<Path> dataDirectory,
    Transport transport,
    String cluster,
    int replication,
    String group,
    NetworkDescriptor network,
    Location location)
    implements Locatable {

  public static final String DEFAULT_NAME = "node";
  public static final String DEFAULT_CLUSTER = "quire";
  public static final String DEFAULT_GROUP = "default";
  public static final int DEFAULT_REPLICATION = 2;
  public static final int MIN_REPLICATION = 1;
  public static final int MAX_REPLICATION = 16;

  /** @throws IllegalArgumentException if the budget is under one page or k is out of range */
  public NodeDescriptor {
    requireNonNull(name, "name");
    requireNonNull(pageSize, "pageSize");
    requireNonNull(dataDirectory, "dataDirectory");
    requireNonNull(transport, "transport");
    requireNonNull(cluster, "cluster");
    requireNonNull(group, "group");
    requireNonNull(network, "network");
    requireNonNull(location, "location");
    if (ramBudgetBytes < pageSize.bytes()) {
      throw new IllegalArgumentException(
          "RAM budget of " + ramBudgetBytes + " bytes is smaller than one page (" + pageSize.bytes() + " bytes)");
    }
    if (replication < MIN_REPLICATION || replication > MAX_REPLICATION) {
      throw new IllegalArgumentException(replicationProblem(replication));
    }
  }

  /** A node without network settings (a local node, or a JGroups node on its stack's own settings). */
  public NodeDescriptor(Optional<String> name, PageSize pageSize, long ramBudgetBytes, Optional<Path> dataDirectory,
      Transport transport, String cluster, int replication, String group, Location location) {
    this(name, pageSize, ramBudgetBytes, dataDirectory, transport, cluster, replication, group,
        NetworkDescriptor.NONE, location);
  }

  /** A working single local node: 4 KiB pages, 64 MiB of RAM tier, k=2, data under {@code java.io.tmpdir}. */
  public static NodeDescriptor defaults() {
    return new NodeDescriptor(Optional.empty(), PageSize.DEFAULT, GridConfig.DEFAULT_RAM_BUDGET_BYTES,
        Optional.empty(), Transport.LOCAL, DEFAULT_CLUSTER, DEFAULT_REPLICATION, DEFAULT_GROUP, Location.PROGRAMMATIC);
  }

  static String replicationProblem(int k) {
    return "replication k=" + k + " is out of range " + MIN_REPLICATION + ".." + MAX_REPLICATION;
  }

  /** The node name, {@value #DEFAULT_NAME} when none was given. */
  public String effectiveName() {
    return name.orElse(DEFAULT_NAME);
  }

  /**
   * The configured data directory, or {@code ${java.io.tmpdir}/quire/<cluster>/<name>}: per cluster and node so that
   * two default nodes of different clusters never share a directory, and in tmp because a default node is for trying
   * things out, not for keeping data.
   */
  public Path effectiveDataDirectory() {
    return dataDirectory.orElseGet(
        () -> Path.of(System.getProperty("java.io.tmpdir"), "quire", cluster, effectiveName()));
  }

  /** The grid-core settings for this node (default spanning unit). */
  public GridConfig toGridConfig() {
    return GridConfig.defaults(effectiveDataDirectory()).withPageSize(pageSize).withRamBudgetBytes(ramBudgetBytes);
  }
}
