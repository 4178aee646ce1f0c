package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.Topology;
import io.quire.core.message.MessageType;
import io.quire.core.page.Page;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy controller and hierarchy manager at work in a cluster with two sites. */
class CoherencePlacementTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  // Nodes 1 and 2 (indexes 0, 1) in site-a; nodes 3 and 4 (indexes 2, 3) in site-b.
  private static final Topology SITES = Topology.of(Map.of(new NodeId(1), "site-a", new NodeId(2), "site-a",
      new NodeId(3), "site-b", new NodeId(4), "site-b"));

  @Test
  void lostReplica_isReplacedInAnotherSite() {
    try (SimCluster c = SimCluster.of(4, 1, 2, 5, FaultPlan.none(),
        CoherenceSettings.DEFAULTS.withoutResourceReports(), SITES)) {
      GlobalAddress page = c.page(0);
      // Page 0: responsible (and owner) node index 0 in site-a; first replica by the ring: index 1, also site-a.
      c.await(c.write(0, page, 1), LIMIT);
      c.crash(1);
      c.simulation().runUntilQuiescent(LIMIT);
      c.await(c.write(0, page, 2), LIMIT);
      c.simulation().runUntilQuiescent(LIMIT);
      Page owned = c.ownerCopy(page);
      assertThat(c.copiesOf(page, owned)).isEqualTo(2);
      boolean replicaInSiteB = c.engine(2).heldCopy(page) != null || c.engine(3).heldCopy(page) != null;
      assertThat(replicaInSiteB).as("the new replica is in the other site" + c.describe(page)).isTrue();
    }
  }

  @Test
  void writerInAnotherSite_needsALongerStreakToTakeThePage() {
    try (SimCluster c = SimCluster.of(4, 1, 2, 5, FaultPlan.none(),
        CoherenceSettings.DEFAULTS.withoutResourceReports(), SITES)) {
      GlobalAddress page = c.page(0);
      for (int i = 1; i <= 4; i++) {
        c.await(c.write(2, page, i), LIMIT);
      }
      assertThat(c.engine(0).owns(page)).as("4 writes from site-b do not move it yet").isTrue();
      for (int i = 5; i <= 7; i++) {
        c.await(c.write(2, page, i), LIMIT);
      }
      c.simulation().runUntilQuiescent(LIMIT);
      assertThat(c.engine(2).owns(page)).as("after 6 in a row it moves" + c.describe(page)).isTrue();
      try (SimCluster again = SimCluster.of(4, 1, 2, 5, FaultPlan.none(),
          CoherenceSettings.DEFAULTS.withoutResourceReports(), SITES)) {
        for (int i = 1; i <= 3; i++) {
          again.await(again.write(1, page, i), LIMIT);
        }
        again.simulation().runUntilQuiescent(LIMIT);
        assertThat(again.engine(1).owns(page)).as("a writer in the owner's site takes it after 3").isTrue();
      }
    }
  }

  @Test
  void nodesPublishTheirFreeResources() {
    CoherenceSettings reporting = new CoherenceSettings(Duration.ofMillis(50), 3, 2, Duration.ofSeconds(1));
    try (SimCluster c = SimCluster.of(3, 1, 2, 5, FaultPlan.none(), reporting, SITES)) {
      c.simulation().runFor(Duration.ofSeconds(3));
      assertThat(c.engine(0).stats().sent(MessageType.RESOURCE_REPORT)).isGreaterThanOrEqualTo(4);
      assertThat(c.engine(0).resourcesOf(c.node(2))).isNotNull();
      assertThat(c.engine(0).resourcesOf(c.node(2)).freeDiskBytes()).isEqualTo(3_000_000L);
    }
  }
}
