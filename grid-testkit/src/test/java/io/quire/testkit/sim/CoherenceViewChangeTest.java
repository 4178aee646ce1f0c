package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A view arrives on the transport's thread while the engine thread is still busy with tasks queued before it: those
 * tasks must run in the old view, never in the new view's membership without its reconfiguration.
 */
class CoherenceViewChangeTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private SimCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void operationQueuedBeforeAView_onTheNodeActingForTheDepartedResponsible_seesTheAcknowledgedWrite() {
    // Page 0: responsible node 0 (id 1), backup on node 1 (id 2), which acts for node 0 once it is gone.
    cluster = SimCluster.of(3, 1, 2, 11, FaultPlan.none(), CoherenceSettings.DEFAULTS.withoutResourceReports());
    GlobalAddress page = cluster.page(0);
    cluster.await(cluster.write(2, page, 11), LIMIT);
    cluster.simulation().runUntilQuiescent(LIMIT);

    cluster.holdMailbox(1);
    CompletableFuture<Long> read = cluster.engine(1).read(page).thenApply(SimCluster::value);
    cluster.crash(0);
    for (int step = 0; step < 1_000 && cluster.heldTasks(1) < 2; step++) {
      cluster.simulation().step();
    }
    assertThat(cluster.heldTasks(1)).as("the read, then the view without node 0").isGreaterThanOrEqualTo(2);
    cluster.releaseMailbox(1);

    assertThat(cluster.await(read, LIMIT)).as(cluster.describe(page)).isEqualTo(11);
    cluster.simulation().runUntilQuiescent(LIMIT);
    assertThat(cluster.await(cluster.read(2, page), LIMIT)).as(cluster.describe(page)).isEqualTo(11);
    assertThat(cluster.owners(page)).isEqualTo(1);
  }
}
