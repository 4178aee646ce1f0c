package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.NoQuorumException;
import io.quire.core.page.Page;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Split brain: both sides of a partition install views of their own. Only the side with a quorum of the last primary
 * view serves pages; the other refuses reads and writes, so after the merge no acknowledged write is lost and no
 * side's value was read stale.
 */
class CoherencePartitionTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final CoherenceSettings QUIET = CoherenceSettings.DEFAULTS.withoutResourceReports();
  private static final int PAGES = 6;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void minorityRefusesReadsAndWrites_majorityWrites_andEveryMajorityWriteSurvivesTheMerge(long seed) {
    FaultPlan faults = FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(10));
    try (SimCluster c = SimCluster.of(3, PAGES, 2, seed, faults, QUIET)) {
      int minority = (int) (seed % 3);
      long[] expected = new long[PAGES];
      for (int p = 0; p < PAGES; p++) {
        // Some pages migrate to the node that will be cut off, and it holds read copies of all of them.
        int writer = p % 2 == 0 ? minority : (minority + 1) % 3;
        for (int i = 0; i < 4; i++) {
          expected[p] = 10L * p + i;
          c.await(c.write(writer, c.page(p), expected[p]), LIMIT);
        }
        assertThat(c.await(c.read(minority, c.page(p)), LIMIT)).isEqualTo(expected[p]);
      }
      c.simulation().runUntilQuiescent(LIMIT);

      c.simulation().splitViews(Set.of(c.node(minority)));
      c.simulation().runUntilQuiescent(LIMIT);

      assertThat(c.engine(minority).inMinority()).isTrue();
      for (int p = 0; p < PAGES; p++) {
        GlobalAddress page = c.page(p);
        assertThat(c.engine(minority).readLocal(page)).as("a local hit on the minority side").isNull();
        assertThatThrownBy(() -> c.await(c.read(minority, page), LIMIT))
            .hasRootCauseInstanceOf(NoQuorumException.class);
        assertThatThrownBy(() -> c.await(c.write(minority, page, -1), LIMIT))
            .hasRootCauseInstanceOf(NoQuorumException.class)
            .rootCause().hasMessageContaining("no majority");
      }
      for (int p = 0; p < PAGES; p++) {
        int writer = (minority + 1 + p % 2) % 3;
        expected[p] = 1_000L + p;
        c.await(c.write(writer, c.page(p), expected[p]), LIMIT);
      }

      c.simulation().heal();
      c.simulation().mergeViews();
      c.simulation().runUntilQuiescent(LIMIT);

      assertThat(c.engine(minority).inMinority()).isFalse();
      for (int p = 0; p < PAGES; p++) {
        GlobalAddress page = c.page(p);
        for (int n = 0; n < 3; n++) {
          assertThat(c.await(c.read(n, page), LIMIT)).as("page %d at node %d%s", p, n, c.describe(page))
              .isEqualTo(expected[p]);
        }
        Page owned = c.ownerCopy(page);
        assertThat(c.owners(page)).as("owners of page %d", p).isEqualTo(1);
        assertThat(c.copiesOf(page, owned)).as("copies of page %d%s", p, c.describe(page)).isGreaterThanOrEqualTo(2);
      }
      // The healed node writes again.
      c.await(c.write(minority, c.page(0), 7), LIMIT);
      assertThat(c.await(c.read((minority + 1) % 3, c.page(0)), LIMIT)).isEqualTo(7);
    }
  }

  @Test
  void anEvenSplit_goesToTheSideWithTheLowestId() {
    try (SimCluster c = SimCluster.of(4, 2, 2, 11, FaultPlan.none(), QUIET)) {
      c.await(c.write(0, c.page(0), 1), LIMIT);
      c.await(c.write(3, c.page(1), 2), LIMIT);
      c.simulation().runUntilQuiescent(LIMIT);

      // Node i has id i + 1: nodes 0 and 1 hold the lowest id.
      c.simulation().splitViews(Set.of(c.node(2), c.node(3)));
      c.simulation().runUntilQuiescent(LIMIT);

      assertThat(c.engine(0).inMinority()).isFalse();
      assertThat(c.engine(1).inMinority()).isFalse();
      assertThat(c.engine(2).inMinority()).isTrue();
      assertThat(c.engine(3).inMinority()).isTrue();
      assertThatThrownBy(() -> c.await(c.write(3, c.page(1), 5), LIMIT))
          .hasRootCauseInstanceOf(NoQuorumException.class);
      c.await(c.write(1, c.page(1), 3), LIMIT);

      c.simulation().heal();
      c.simulation().mergeViews();
      c.simulation().runUntilQuiescent(LIMIT);
      for (int n = 0; n < 4; n++) {
        assertThat(c.await(c.read(n, c.page(0)), LIMIT)).isEqualTo(1);
        assertThat(c.await(c.read(n, c.page(1)), LIMIT)).isEqualTo(3);
      }
    }
  }

  @Test
  void gracefulLeaves_doNotCountAgainstTheQuorum_soTheLastMemberStillServes() {
    try (SimCluster c = SimCluster.of(3, 2, 2, 5, FaultPlan.none(), QUIET)) {
      c.await(c.write(2, c.page(0), 41), LIMIT);
      c.await(c.write(1, c.page(1), 42), LIMIT);
      // The second leave starts before the first one's view change arrives: its hand-offs may go to the node that
      // has just gone, and come back with the reconfiguration.
      c.leave(2, LIMIT);
      c.leave(1, LIMIT);
      c.simulation().runUntilQuiescent(LIMIT);

      assertThat(c.engine(0).inMinority()).isFalse();
      assertThat(c.await(c.read(0, c.page(0)), LIMIT)).isEqualTo(41);
      c.await(c.write(0, c.page(1), 43), LIMIT);
      assertThat(c.await(c.read(0, c.page(1)), LIMIT)).isEqualTo(43);
    }
  }

  @Test
  void theLastMembersLeave_completesAtOnce() {
    try (SimCluster c = SimCluster.of(2, 2, 2, 6, FaultPlan.none(), QUIET)) {
      c.await(c.write(0, c.page(0), 1), LIMIT);
      c.await(c.write(1, c.page(1), 2), LIMIT);
      c.leave(1, LIMIT);
      c.simulation().runUntilQuiescent(LIMIT);
      // Nobody is left to take the pages: they stay on this node's disk, and the leave does not wait for anyone.
      c.await(c.engine(0).leave(), Duration.ofMillis(1));
    }
  }

  @Test
  void aCrashOfHalfTheCluster_leavesTheHalfWithTheLowestIdServing() {
    try (SimCluster c = SimCluster.of(2, 1, 2, 8, FaultPlan.none(), QUIET)) {
      c.await(c.write(1, c.page(0), 9), LIMIT);
      c.simulation().runUntilQuiescent(LIMIT);
      c.crash(1);
      c.simulation().runUntilQuiescent(LIMIT);
      assertThat(c.engine(0).inMinority()).isFalse();
      assertThat(c.await(c.read(0, c.page(0)), LIMIT)).isEqualTo(9);
    }
    try (SimCluster c = SimCluster.of(2, 1, 2, 8, FaultPlan.none(), QUIET)) {
      c.await(c.write(0, c.page(0), 9), LIMIT);
      c.simulation().runUntilQuiescent(LIMIT);
      c.crash(0);
      c.simulation().runUntilQuiescent(LIMIT);
      // It cannot tell a crash from a partition: it refuses, and serves again once node 0 is back.
      assertThat(c.engine(1).inMinority()).isTrue();
      assertThatThrownBy(() -> c.await(c.read(1, c.page(0)), LIMIT)).hasRootCauseInstanceOf(NoQuorumException.class);
      c.restart(0);
      c.simulation().runUntilQuiescent(LIMIT);
      assertThat(c.await(c.read(1, c.page(0)), LIMIT)).isEqualTo(9);
    }
  }

  @Test
  void aNeverWrittenPageClaimedByAnActingNode_isClaimedAgainByItsResponsibleNode_whenThatNodeDies() {
    try (SimCluster c = SimCluster.of(3, 1, 2, 31, FaultPlan.none(), QUIET)) {
      GlobalAddress page = c.page(0); // node 0 is responsible for it
      c.simulation().splitViews(Set.of(c.node(0)));
      c.simulation().runUntilQuiescent(LIMIT);
      // Node 1 acts for the absent node 0 and claims the page by reading it: version 0, no copy anywhere.
      assertThat(c.await(c.read(1, page), LIMIT)).isEqualTo(0);
      c.simulation().heal();
      c.simulation().mergeViews();
      c.simulation().runUntilQuiescent(LIMIT);
      assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(0);

      c.crash(1); // the owner of a page nobody ever wrote, and nobody holds a copy of
      c.simulation().runUntilQuiescent(LIMIT);

      assertThat(c.await(c.read(0, page), LIMIT)).as("read on the responsible node%s", c.describe(page)).isEqualTo(0);
      c.await(c.write(2, page, 7), LIMIT);
      assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(7);
    }
  }

  @Test
  void ownerPromotedAtTheMergeAfterStandingDown_answersARetriedWriteInsteadOfApplyingItAgain() {
    // Page 0: owned by node 0, backed up on node 1. Node 2's compare-and-set is applied, but node 2 never hears so.
    try (SimCluster c = SimCluster.of(3, 1, 2, 5, FaultPlan.none(), QUIET)) {
      GlobalAddress page = c.page(0);
      c.simulation().dropTrafficTo(c.node(2));
      var cas = c.cas(2, page, 0, 1);
      c.simulation().runFor(Duration.ofMillis(200));
      // Node 2 stays busy through the split, so the majority side never settles and its retry waits for the merge,
      // where node 0's copy (tied with node 1's backup, and first in id order) is promoted.
      c.holdMailbox(2);
      c.simulation().splitViews(Set.of(c.node(0)));
      c.simulation().runFor(Duration.ofSeconds(5));
      assertThat(c.engine(0).inMinority()).isTrue();
      c.simulation().heal();
      c.simulation().mergeViews();
      c.releaseMailbox(2);

      assertThat(c.await(cas, LIMIT)).as("the retried compare-and-set swapped, once" + c.describe(page)).isTrue();
      assertThat(c.await(c.read(1, page), LIMIT)).isEqualTo(1);
    }
  }
}
