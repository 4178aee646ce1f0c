package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.coherence.Topology;
import io.quire.core.memory.Memory;
import io.quire.core.page.Durability;
import io.quire.core.runtime.SystemRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test that matters: three grid-core {@link ClusterNode}s in one JVM, each with its own data directory, talking
 * only through {@link JGroupsTransport}s over 127.0.0.1, with every page kept on k = 2 nodes.
 */
class ClusterNodeOverJGroupsIT {
  private static final int NODES = 3;
  private static final int K = 2;
  private static final int PAGES = 16;

  @TempDir
  Path dir;

  private SystemRuntime system;
  private LoopbackCluster cluster;
  private final List<ClusterNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    system = SystemRuntime.start();
    cluster = LoopbackCluster.of(NODES);
    for (int i = 0; i < NODES; i++) {
      nodes.add(open(i));
    }
  }

  /** Opens (or reopens) node {@code i} from its data directory, on the transport slot of that node. */
  private ClusterNode open(int i) {
    GridConfig config = GridConfig.defaults(dir.resolve("node-" + i)).withRamBudgetBytes(4L << 20);
    NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
    JGroupsTransport transport = cluster.transport(i, id, system.runtime());
    return ClusterNode.open(config, transport, system.runtime(), K, Topology.FLAT);
  }

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    system.close();
  }

  private Memory memory(int i) {
    return nodes.get(i).memory();
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String read(int node, AddressRange range, int page) {
    return new String(memory(node).read(range.page(page)).toByteArray(), StandardCharsets.UTF_8).trim();
  }

  private void assertEveryPageReads(int node, AddressRange range, List<String> expected, String when) {
    for (int p = 0; p < PAGES; p++) {
      assertThat(read(node, range, p)).as("page %d read on node %d %s", p, node, when).isEqualTo(expected.get(p));
    }
  }

  @Test
  void pagesWrittenOnOneNode_readCoherentlyOnAnother_surviveItsClose_andItsRestartReadsThemAll() {
    // Node 0 allocates the range, so it is the responsible node and the first owner of every page in it.
    AddressRange range = memory(0).allocate(PAGES, Durability.PERSISTENT);
    List<String> expected = new ArrayList<>();
    for (int p = 0; p < PAGES; p++) {
      expected.add("page " + p + " written on node 0");
      memory(0).write(range.page(p), text(expected.get(p)));
    }
    assertEveryPageReads(1, range, expected, "after node 0 wrote them");

    // A second writer: the copy node 1 holds is invalidated, and it reads the new value.
    expected.set(3, "page 3 rewritten on node 2");
    memory(2).write(range.page(3), text(expected.get(3)));
    assertThat(read(1, range, 3)).isEqualTo(expected.get(3));
    assertThat(read(0, range, 3)).isEqualTo(expected.get(3));

    nodes.get(0).close();

    assertEveryPageReads(1, range, expected, "after node 0 closed");
    assertEveryPageReads(2, range, expected, "after node 0 closed");

    nodes.set(0, open(0));

    assertEveryPageReads(0, range, expected, "after node 0 restarted from its data directory");
    expected.set(0, "page 0 written after the restart");
    memory(0).write(range.page(0), text(expected.get(0)));
    assertEveryPageReads(2, range, expected, "after node 0 restarted and wrote page 0");
    assertEveryPageReads(1, range, expected, "after node 0 restarted and wrote page 0");
  }
}
