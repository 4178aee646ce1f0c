package io.quire.core.coherence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final NodeId OWNER = new NodeId(1);
  private static final NodeId SAME_RACK = new NodeId(2);
  private static final NodeId OTHER_RACK = new NodeId(3);
  private static final NodeId OTHER_SITE = new NodeId(4);
  private static final NodeId OTHER_SITE_2 = new NodeId(5);
  private static final Topology TOPOLOGY = Topology.of(Map.of(
      OWNER, "site-a/rack-1", SAME_RACK, "site-a/rack-1", OTHER_RACK, "site-a/rack-2",
      OTHER_SITE, "site-b/rack-1", OTHER_SITE_2, "site-b/rack-2"));
  private static final List<NodeId> ALL = List.of(OWNER, SAME_RACK, OTHER_RACK, OTHER_SITE, OTHER_SITE_2);

  @Test
  void distance_countsDifferingSegmentsFromTheFirstDifference() {
    assertThat(TOPOLOGY.distance(OWNER, SAME_RACK)).isZero();
    assertThat(TOPOLOGY.distance(OWNER, OTHER_RACK)).isEqualTo(1);
    assertThat(TOPOLOGY.distance(OWNER, OTHER_SITE)).isEqualTo(2);
  }

  @Test
  void fill_prefersAnotherSiteThenAnotherRack() {
    Placement placement = new Placement(TOPOLOGY);
    List<NodeId> chosen = new ArrayList<>();
    List<NodeId> added = placement.fill(OWNER, chosen, 2, ALL, List.of());
    assertThat(added).hasSize(2);
    assertThat(added.get(0)).isIn(OTHER_SITE, OTHER_SITE_2);
    assertThat(added.get(1)).as("the second replica spreads away from the first too").isEqualTo(OTHER_RACK);
  }

  @Test
  void fill_amongEquallySpreadNodes_prefersMoreFreeResources() {
    Placement placement = new Placement(TOPOLOGY);
    placement.update(OTHER_SITE, new Placement.Resources(1, 1));
    placement.update(OTHER_SITE_2, new Placement.Resources(1 << 30, 1L << 40));
    assertThat(placement.fill(OWNER, new ArrayList<>(), 1, ALL, List.of())).containsExactly(OTHER_SITE_2);
  }

  @Test
  void fill_neverPicksTheOwnerAChosenOrAnExcludedNode() {
    Placement placement = new Placement(TOPOLOGY);
    List<NodeId> chosen = new ArrayList<>(List.of(OTHER_SITE));
    List<NodeId> added = placement.fill(OWNER, chosen, 4, ALL, List.of(OTHER_SITE_2));
    assertThat(added).containsExactly(OTHER_RACK, SAME_RACK);
    assertThat(chosen).containsExactly(OTHER_SITE, OTHER_RACK, SAME_RACK);
  }

  @Test
  void fill_flatTopology_isDeterministicById() {
    Placement placement = new Placement(Topology.FLAT);
    assertThat(placement.fill(OWNER, new ArrayList<>(), 2, ALL, List.of())).containsExactly(SAME_RACK, OTHER_RACK);
  }
}
