package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.coherence.CoherenceEngine.Holdings;
import io.quire.core.page.Durability;
import io.quire.core.runtime.SystemRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure groups over JGroups: each node's group rides in its address, every member learns the others' from the
 * view, and replicas are placed in another group than the owner's even where the id ring would keep them in its own.
 */
class GroupPlacementOverJGroupsIT {
  private static final int NODES = 4;
  private static final int K = 2;
  private static final int PAGES = 12;

  @TempDir
  Path dir;

  private final SystemRuntime system = SystemRuntime.start();
  private final LoopbackCluster cluster = LoopbackCluster.of(NODES);
  private final List<ClusterNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    system.close();
  }

  @Test
  void replicasOfAPageGoToAnotherGroup_evenWhenTheRingNeighbourSharesTheOwnersGroup() {
    List<GridConfig> configs = new ArrayList<>();
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      GridConfig config = GridConfig.defaults(dir.resolve("node-" + i)).withRamBudgetBytes(4L << 20);
      configs.add(config);
      ids.add(NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId());
    }
    // Node 0's neighbour on the id ring (the next id, wrapping) shares node 0's group: ring placement alone would put
    // every backup of node 0's pages in site-a, beside their owner.
    List<NodeId> ring = ids.stream().sorted(Comparator.comparing(NodeId::value, Long::compareUnsigned)).toList();
    NodeId neighbour = ring.get((ring.indexOf(ids.get(0)) + 1) % NODES);
    List<String> groups = new ArrayList<>();
    for (NodeId id : ids) {
      groups.add(id.equals(ids.get(0)) || id.equals(neighbour) ? "site-a" : "site-b/rack-" + groups.size());
    }
    for (int i = 0; i < NODES; i++) {
      JGroupsTransport transport = cluster.builder(i).group(groups.get(i)).build().create(ids.get(i),
          system.runtime());
      nodes.add(ClusterNode.open(configs.get(i), transport, system.runtime(), K));
    }
    for (ClusterNode node : nodes) {
      Await.until(() -> node.engine().view().size() == NODES, node.id() + " sees all " + NODES + " members");
    }
    List<Integer> before = nodes.stream().map(node -> Await.await(node.engine().holdings()).replicaPages()).toList();

    AddressRange range = nodes.get(0).memory().allocate(PAGES, Durability.PERSISTENT);
    for (int p = 0; p < PAGES; p++) {
      nodes.get(0).memory().write(range.page(p), ("page " + p).getBytes(StandardCharsets.UTF_8));
    }

    int inSiteA = 0;
    int inSiteB = 0;
    for (int i = 1; i < NODES; i++) {
      Holdings after = Await.await(nodes.get(i).engine().holdings());
      int added = after.replicaPages() - before.get(i);
      if (groups.get(i).equals("site-a")) {
        inSiteA += added;
      } else {
        inSiteB += added;
      }
    }
    assertThat(inSiteA).as("backups beside the owner, in site-a (groups %s)", groups).isZero();
    assertThat(inSiteB).as("backups in site-b (groups %s)", groups).isEqualTo(PAGES);
    assertThat(new String(nodes.get(3).memory().read(range.page(5)).toByteArray(), StandardCharsets.UTF_8).trim())
        .isEqualTo("page 5");
  }

  @Test
  void everyMemberLearnsEveryOthersGroupFromTheView() {
    List<JGroupsTransport> transports = new ArrayList<>();
    List<NodeId> ids = List.of(new NodeId(11), new NodeId(12), new NodeId(13));
    List<String> groups = List.of("site-a/rack-1", "site-b", "");
    try {
      for (int i = 0; i < ids.size(); i++) {
        JGroupsTransport transport = cluster.builder(i).group(groups.get(i)).build().create(ids.get(i),
            system.runtime());
        transports.add(transport);
        transport.start(new RecordingReceiver());
      }
      for (JGroupsTransport transport : transports) {
        Await.until(() -> transport.currentView().size() == ids.size(), transport.localNode() + " sees all");
        for (int i = 0; i < ids.size(); i++) {
          assertThat(transport.groupOf(ids.get(i))).as("%s's group at %s", ids.get(i), transport.localNode())
              .isEqualTo(groups.get(i));
        }
      }
      assertThat(transports.get(0).groupOf(new NodeId(99))).as("a node never seen").isEmpty();

      transports.get(1).close();
      Await.until(() -> transports.get(0).currentView().size() == 2, "node 12 gone");
      assertThat(transports.get(0).groupOf(ids.get(1))).as("a departed member's last known group")
          .isEqualTo("site-b");
    } finally {
      transports.forEach(JGroupsTransport::close);
    }
  }
}
