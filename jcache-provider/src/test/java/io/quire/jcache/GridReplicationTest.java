package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.GridConfig;
import io.quire.jcache.ReplicationStatus.State;
import io.quire.jcache.config.DescriptorParser;
import io.quire.jcache.config.QuireDescriptor;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a manager reports about its grid node beyond the caches: {@code k} and whether it is satisfied, paging on a
 * cluster node, and the caches it opens after startup.
 */
class GridReplicationTest {
  private static final String DESCRIPTOR = """
      <?xml version="1.0" encoding="UTF-8"?>
      <quire xmlns="urn:io.quire:cache:1.0">
        <cache name="shared" key-type="java.lang.String" value-type="java.lang.String"/>
        <cache-template name="later" match="later.*" statistics="true"/>
      </quire>
      """;
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private QuireCacheManager managerOn(Grid grid) {
    QuireDescriptor descriptor = new DescriptorParser()
        .parse(new ByteArrayInputStream(DESCRIPTOR.getBytes(StandardCharsets.UTF_8)), "replication.xml");
    QuireCacheManager manager = new QuireCacheManager(new QuireCachingProvider(), URI.create("urn:test:replication"),
        getClass().getClassLoader(), new Properties(), descriptor, grid, () -> { });
    open.add(manager);
    return manager;
  }

  private InJvmClusterGrid cluster(int nodes, long ramBudgetBytes) {
    InJvmClusterGrid cluster = InJvmClusterGrid.open(nodes,
        GridConfig.defaults(Path.of(".")).withRamBudgetBytes(ramBudgetBytes));
    open.add(cluster);
    return cluster;
  }

  /* ---- replication ---- */

  @Test
  void singleNode_isSatisfied_andSaysItsCopiesAreLimitedByMembers() throws Exception {
    Path data = java.nio.file.Files.createTempDirectory("quire-replication-");
    SingleNodeGrid grid = SingleNodeGrid.open(GridConfig.defaults(data), true);
    open.add(grid);
    ReplicationStatus status = managerOn(grid).replicationStatus();

    assertThat(status.k()).as("the descriptor's default k").isEqualTo(2);
    assertThat(status.members()).isEqualTo(1);
    assertThat(status.state()).isEqualTo(State.SATISFIED);
    assertThat(status.limitedByMembers()).isTrue();
    assertThat(status.copies()).isEqualTo(1);
    assertThat(status).hasToString("k=2, 1 member: copies limited by members, satisfied");
  }

  @Test
  void cluster_aNodeClosedWithoutHandOver_isPendingUntilItsCopiesAreRebuilt_thenSatisfied() {
    InJvmClusterGrid cluster = cluster(3, 8L << 20);
    QuireCacheManager manager = managerOn(cluster);
    Cache<String, String> shared = manager.getCache("shared", String.class, String.class);
    for (int i = 0; i < 300; i++) {
      shared.put("k" + i, "value " + i);
    }
    ReplicationStatus before = awaitState(manager::replicationStatus, State.SATISFIED);
    assertThat(before).hasToString("k=2, 3 members: satisfied");

    cluster.closeNode(2);
    ReplicationStatus after = manager.replicationStatus();
    // Pending until the survivors have rebuilt the lost copies; on a fast run the rebuild may already be done, but
    // satisfied is never claimed for the view the node left.
    assertThat(after.state() == State.PENDING || after.members() == 2)
        .as("right after the node left: %s", after).isTrue();

    ReplicationStatus rebuilt = awaitState(manager::replicationStatus, State.SATISFIED);
    assertThat(rebuilt).hasToString("k=2, 2 members: satisfied");
    for (int i = 0; i < 300; i++) {
      assertThat(shared.get("k" + i)).isEqualTo("value " + i);
    }
  }

  /* ---- metrics ---- */

  @Test
  void clusterNode_pagingFiguresAreItsTiers() {
    // 256 KiB of RAM per node, about 800 KiB of values: pages go out to disk and come back.
    InJvmClusterGrid cluster = cluster(2, 256L << 10);
    QuireCacheManager manager = managerOn(cluster);
    Cache<String, String> cache = manager.createCache("paged", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class));
    String value = "v".repeat(2000);
    for (int i = 0; i < 400; i++) {
      cache.put("k" + i, value + i);
    }
    for (int i = 0; i < 400; i++) {
      assertThat(cache.get("k" + i)).isEqualTo(value + i);
    }
    GridMetrics metrics = manager.gridMetrics();
    assertThat(metrics.ramPages()).isPositive();
    assertThat(metrics.ramBytes()).isPositive().isLessThanOrEqualTo(512L << 10);
    assertThat(metrics.diskPages()).isPositive();
    assertThat(metrics.pageOuts()).isPositive();
    assertThat(metrics.pageIns()).isPositive();
    assertThat(metrics.members()).isEqualTo(2);
  }

  /* ---- caches opened after startup ---- */

  @Test
  void onCacheCreated_seesTemplateAndProgrammaticCaches_untilClosed() throws Exception {
    Path data = java.nio.file.Files.createTempDirectory("quire-replication-");
    SingleNodeGrid grid = SingleNodeGrid.open(GridConfig.defaults(data), true);
    open.add(grid);
    QuireCacheManager manager = managerOn(grid);
    List<String> created = new ArrayList<>();
    AutoCloseable subscription = manager.onCacheCreated(cache -> created.add(cache.getName()));
    manager.onCacheCreated(cache -> {
      throw new IllegalStateException("a failing listener does not stop the cache");
    });

    manager.getCache("later.one");
    manager.getCache("later.one");
    manager.createCache("programmatic", new MutableConfiguration<>());
    assertThat(manager.getCache("unmatched")).isNull();
    subscription.close();
    manager.getCache("later.two");

    assertThat(created).containsExactly("later.one", "programmatic");
    assertThat(manager.getCacheNames()).contains("shared", "later.one", "programmatic", "later.two");
  }

  private static ReplicationStatus awaitState(Supplier<ReplicationStatus> status, State wanted) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    ReplicationStatus last = status.get();
    while (last.state() != wanted) {
      assertThat(System.nanoTime()).as("still %s after %s", last, PATIENCE).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = status.get();
    }
    return last;
  }
}
