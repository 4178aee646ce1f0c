package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.NoQuorumException;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The read lease closes the window a partition leaves before the cut-off node installs its minority view: it stops
 * serving its copies once it has not heard from a quorum for the lease, and the majority promotes nobody until a lease
 * has passed since its own view change, so no read on the cut-off node returns a value the majority has overwritten.
 */
class CoherenceLeaseTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Duration EVERY = Duration.ofMillis(100);
  private static final Duration LEASE = Duration.ofMillis(400);
  private static final CoherenceSettings LEASED = CoherenceSettings.DEFAULTS.withLease(EVERY, LEASE);

  @Test
  void aNodeCutOffWithoutAViewChange_stopsServingItsCopiesWhenItsLeaseRunsOut() {
    try (SimCluster c = SimCluster.of(3, 2, 2, 21, FaultPlan.none(), LEASED)) {
      GlobalAddress page = c.page(0);
      c.await(c.write(0, page, 5), LIMIT);
      assertThat(c.await(c.read(2, page), LIMIT)).isEqualTo(5);
      c.simulation().runFor(Duration.ofSeconds(1)); // heartbeats flow: the lease stays fresh
      assertThat(c.engine(2).readLocal(page)).as("a valid read copy under a fresh lease").isNotNull();

      // Links cut, but no view change yet (the failure detector has not fired).
      c.simulation().partition(Set.of(c.node(2)), Set.of(c.node(0), c.node(1)));
      c.simulation().runFor(LEASE.plus(EVERY.multipliedBy(2)));

      assertThat(c.engine(2).readLocal(page)).as("a read copy once the lease ran out").isNull();
      assertThatThrownBy(() -> c.await(c.read(2, page), LIMIT)).hasRootCauseInstanceOf(NoQuorumException.class)
          .rootCause().hasMessageContaining("has not heard from a quorum");
    }
  }

  @Test
  void aWriteWaitingForACutOffReadersInvalidation_commitsOnlyAfterItsLeaseHasRunOut() {
    try (SimCluster c = SimCluster.of(3, 2, 2, 23, FaultPlan.none(), LEASED)) {
      GlobalAddress page = c.page(0);
      c.await(c.write(0, page, 1), LIMIT);
      assertThat(c.await(c.read(2, page), LIMIT)).isEqualTo(1); // node 2 holds a read copy
      c.simulation().runFor(Duration.ofSeconds(1));

      long cut = c.simulation().clock().nanos();
      c.simulation().partition(Set.of(c.node(2)), Set.of(c.node(0), c.node(1)));
      CompletableFuture<Long> write = c.write(0, page, 2); // waits for node 2's invalidation ack, which never comes
      c.simulation().runFor(Duration.ofMillis(50));
      assertThat(write).isNotDone();
      c.simulation().splitViews(Set.of(c.node(2))); // the majority drops node 2 from the invalidations it waits for
      c.await(write, LIMIT);
      assertThat(Duration.ofNanos(c.simulation().clock().nanos() - cut)).as("time from the cut to the commit")
          .isGreaterThanOrEqualTo(LEASE);
    }
  }

  @Test
  void afterLosingAMember_theMajorityWritesNothingTheCutOffNodeHeldBeforeItsLeaseHasRunOut() {
    try (SimCluster c = SimCluster.of(3, 2, 2, 22, FaultPlan.none(), LEASED)) {
      GlobalAddress page = c.page(0);
      // Node 2 owns the page and node 1 holds a read copy; node 0 will write it once node 2 is cut off.
      c.await(c.write(2, page, 1), LIMIT);
      for (int i = 0; i < 4; i++) {
        c.await(c.write(2, page, 1), LIMIT); // a page written again and again by one node moves there
      }
      c.await(c.read(1, page), LIMIT);
      c.simulation().runFor(Duration.ofSeconds(1));

      long cut = c.simulation().clock().nanos();
      c.simulation().splitViews(Set.of(c.node(2)));
      // The cut-off node installs its minority view late in a real network; here it has, but its lease matters
      // for the reads it served before: the majority must not overwrite the page before that lease has run out.
      CompletableFuture<Long> write = c.write(0, page, 2);
      c.await(write, LIMIT);
      long written = c.simulation().clock().nanos();
      assertThat(Duration.ofNanos(written - cut)).as("time from the cut to the majority's first write")
          .isGreaterThanOrEqualTo(LEASE);
      assertThat(c.await(c.read(1, page), LIMIT)).isEqualTo(2);
    }
  }
}
