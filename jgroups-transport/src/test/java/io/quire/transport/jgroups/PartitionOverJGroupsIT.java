package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.coherence.NoQuorumException;
import io.quire.core.coherence.Topology;
import io.quire.core.page.Durability;
import io.quire.core.runtime.SystemRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real partition: one of three {@link ClusterNode}s over JGroups on 127.0.0.1 is cut off with JGroups' DISCARD (no
 * network change), both sides install views of their own, and then MERGE3 merges them. The documented policy: the
 * side without a majority of the last primary view refuses reads and writes ({@link NoQuorumException}); the majority
 * goes on writing; after the merge every node reads the majority's writes and the cut-off node writes again.
 */
class PartitionOverJGroupsIT {
  private static final int NODES = 3;
  private static final int K = 2;
  private static final int PAGES = 8;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private SystemRuntime system;
  private LoopbackCluster cluster;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<JGroupsTransport> transports = new ArrayList<>();

  @BeforeEach
  void start() {
    system = SystemRuntime.start();
    cluster = LoopbackCluster.of(NODES);
    for (int i = 0; i < NODES; i++) {
      GridConfig config = GridConfig.defaults(dir.resolve("node-" + i)).withRamBudgetBytes(4L << 20);
      NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
      JGroupsTransport transport = cluster.transport(i, id, system.runtime());
      transports.add(transport);
      nodes.add(ClusterNode.open(config, transport, system.runtime(), K, Topology.FLAT));
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    system.close();
  }

  /** The text padded to a fixed length, so that a shorter write leaves nothing of a longer one behind. */
  private static byte[] text(String text) {
    return java.util.Arrays.copyOf(text.getBytes(StandardCharsets.UTF_8), 96);
  }

  private String read(int node, AddressRange range, int page) {
    return new String(nodes.get(node).memory().read(range.page(page)).toByteArray(), StandardCharsets.UTF_8).trim();
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void theCutOffNodeRefuses_theMajorityWrites_andAfterTheMergeEveryNodeReadsTheMajoritysWrites() throws Exception {
    awaitTrue("a view of three", () -> nodes.stream().allMatch(n -> n.engine().view().size() == NODES));
    AddressRange range = nodes.get(0).memory().allocate(PAGES, Durability.PERSISTENT);
    List<String> expected = new ArrayList<>();
    for (int p = 0; p < PAGES; p++) {
      // Node 2 writes half the pages (some move to it) and reads them all (it holds copies).
      int writer = p % 2 == 0 ? 2 : 0;
      expected.add("page " + p + " before the partition, from node " + writer);
      nodes.get(writer).memory().write(range.page(p), text(expected.get(p)));
      assertThat(read(2, range, p)).isEqualTo(expected.get(p));
    }

    DISCARD cut = new DISCARD();
    cut.setAddress(transports.get(2).channel().getAddress());
    transports.get(2).channel().getProtocolStack().insertProtocol(cut, ProtocolStack.Position.ABOVE, TP.class);
    cut.discardAll(true);

    awaitTrue("node 2 on the minority side", () -> nodes.get(2).engine().inMinority());
    awaitTrue("nodes 0 and 1 in a view of two",
        () -> nodes.get(0).engine().view().size() == 2 && nodes.get(1).engine().view().size() == 2);
    for (int p = 0; p < PAGES; p++) {
      int page = p;
      assertThatThrownBy(() -> read(2, range, page)).isInstanceOf(NoQuorumException.class)
          .hasMessageContaining("no majority");
      assertThatThrownBy(() -> nodes.get(2).memory().write(range.page(page), text("lost")))
          .isInstanceOf(NoQuorumException.class);
    }
    for (int p = 0; p < PAGES; p++) {
      int writer = p % 2;
      expected.set(p, "page " + p + " during the partition, from node " + writer);
      nodes.get(writer).memory().write(range.page(p), text(expected.get(p)));
    }
    for (int p = 0; p < PAGES; p++) {
      assertThat(read(1 - p % 2, range, p)).isEqualTo(expected.get(p));
    }

    cut.discardAll(false);

    awaitTrue("the merged view of three", () -> nodes.stream().allMatch(n -> n.engine().view().size() == NODES));
    awaitTrue("node 2 serving again", () -> !nodes.get(2).engine().inMinority());
    for (int node = 0; node < NODES; node++) {
      for (int p = 0; p < PAGES; p++) {
        assertThat(read(node, range, p)).as("page %d on node %d after the merge", p, node).isEqualTo(expected.get(p));
      }
    }
    nodes.get(2).memory().write(range.page(1), text("after the merge, from node 2"));
    assertThat(read(0, range, 1)).isEqualTo("after the merge, from node 2");
  }
}
