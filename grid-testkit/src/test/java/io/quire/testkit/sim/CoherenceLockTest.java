package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A page lock holds the page at the locking node: other nodes' writes wait, reads do not. */
class CoherenceLockTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private static final CoherenceSettings QUIET = CoherenceSettings.DEFAULTS.withoutResourceReports();

  @Test
  void lock_makesOtherNodesWritesWaitUntilUnlock_readsAndTheHoldersWritesGoOn() {
    FaultPlan faults = FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(10));
    try (SimCluster c = SimCluster.of(3, 1, 2, 9, faults, CoherenceSettings.DEFAULTS.withoutResourceReports())) {
      GlobalAddress page = c.page(0);
      c.await(c.write(0, page, 1), LIMIT);
      c.await(c.lock(1, page), LIMIT);
      assertThat(c.engine(1).owns(page)).isTrue();

      CompletableFuture<Long> fromNode0 = c.write(0, page, 2);
      CompletableFuture<Long> fromNode2 = c.write(2, page, 3);
      c.simulation().runFor(Duration.ofSeconds(5));
      assertThat(fromNode0).as("a write from another node waits for the lock").isNotDone();
      assertThat(fromNode2).isNotDone();
      assertThat(c.await(c.read(2, page), LIMIT)).as("reads do not wait").isEqualTo(1);
      c.await(c.write(1, page, 4), LIMIT);
      assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(4);

      c.await(c.unlock(1, page), LIMIT);
      c.await(fromNode0, LIMIT);
      c.await(fromNode2, LIMIT);
      long last = c.await(c.read(1, page), LIMIT);
      assertThat(last).isIn(2L, 3L);
      assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(last);
    }
  }

  @Test
  void unlock_notHeld_fails() {
    try (SimCluster c = SimCluster.of(3, 1, 2, 9, FaultPlan.none(), QUIET)) {
      assertThatThrownBy(() -> c.await(c.unlock(1, c.page(0)), LIMIT))
          .hasRootCauseInstanceOf(IllegalStateException.class).rootCause().hasMessageContaining("not locked");
    }
  }

  @Test
  void lockHolderCrash_releasesTheLockWithTheReconfiguration() {
    try (SimCluster c = SimCluster.of(3, 1, 2, 9, FaultPlan.none(), QUIET)) {
      GlobalAddress page = c.page(0);
      c.await(c.write(0, page, 1), LIMIT);
      c.await(c.lock(1, page), LIMIT);
      CompletableFuture<Long> waiting = c.write(2, page, 5);
      c.simulation().runFor(Duration.ofSeconds(2));
      assertThat(waiting).isNotDone();
      c.crash(1);
      c.await(waiting, LIMIT);
      assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(5);
    }
  }
}
