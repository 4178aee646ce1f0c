package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.RefusedException;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoherenceBasicsTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private SimCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private SimCluster cluster(FaultPlan faults) {
    cluster = SimCluster.of(3, 4, 2, 7, faults, CoherenceSettings.DEFAULTS.withoutResourceReports());
    return cluster;
  }

  @Test
  void read_afterWriteOnAnotherNode_seesTheNewValue() {
    SimCluster c = cluster(FaultPlan.none());
    GlobalAddress page = c.page(0);
    assertThat(c.await(c.read(2, page), LIMIT)).isZero();
    c.await(c.write(1, page, 42), LIMIT);
    assertThat(c.await(c.read(2, page), LIMIT)).isEqualTo(42);
    assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(42);
    assertThat(c.owners(page)).isEqualTo(1);
  }

  @Test
  void writesInARowFromOneNode_migrateOwnershipThere() {
    SimCluster c = cluster(FaultPlan.none());
    GlobalAddress page = c.page(0);
    for (int i = 1; i <= 4; i++) {
      c.await(c.write(2, page, i), LIMIT);
    }
    c.simulation().runUntilQuiescent(LIMIT);
    assertThat(c.engine(2).owns(page)).as(c.describe(page)).isTrue();
    assertThat(c.owners(page)).isEqualTo(1);
    assertThat(c.await(c.read(0, page), LIMIT)).isEqualTo(4);
  }

  @Test
  void increments_fromEveryNodeAtOnce_loseNothing() {
    SimCluster c = cluster(FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(20)));
    GlobalAddress page = c.page(1);
    List<CompletableFuture<Long>> all = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (int node = 0; node < 3; node++) {
        all.add(c.increment(node, page));
      }
    }
    for (CompletableFuture<Long> f : all) {
      c.await(f, LIMIT);
    }
    assertThat(c.await(c.read(0, page), LIMIT)).as(c.describe(page)).isEqualTo(60);
  }

  @Test
  void operationsOnAnUnallocatedPage_areRefusedByItsResponsibleNode() {
    SimCluster c = cluster(FaultPlan.none().withDrop(0.05).withDelay(Duration.ofMillis(1), Duration.ofMillis(10)));
    GlobalAddress unallocated = c.unallocatedPage();
    for (int node = 0; node < 3; node++) {
      int n = node;
      assertThatThrownBy(() -> c.await(c.read(n, unallocated), LIMIT)).hasRootCauseInstanceOf(RefusedException.class)
          .rootCause().hasMessageContaining(unallocated.toString()).hasMessageContaining("not in an allocated range");
      assertThatThrownBy(() -> c.await(c.write(n, unallocated, 1), LIMIT))
          .hasRootCauseInstanceOf(RefusedException.class);
      assertThatThrownBy(() -> c.await(c.increment(n, unallocated), LIMIT))
          .hasRootCauseInstanceOf(RefusedException.class);
    }
    assertThat(c.owners(unallocated)).isZero();
  }

  @Test
  void cas_racesFromEveryNode_electExactlyOneWinner() {
    SimCluster c = cluster(FaultPlan.none().withDelay(Duration.ofMillis(1), Duration.ofMillis(10)));
    GlobalAddress page = c.page(2);
    List<CompletableFuture<Boolean>> all = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      all.add(c.cas(node, page, 0, 100 + node));
    }
    long winners = all.stream().filter(f -> c.await(f, LIMIT)).count();
    assertThat(winners).isEqualTo(1);
  }
}
