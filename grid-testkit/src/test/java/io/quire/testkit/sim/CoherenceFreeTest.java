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
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Freeing a range drops every copy of its pages on every node, and every node refuses them afterwards. */
class CoherenceFreeTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int NODES = 4;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void free_withCopiesEverywhereAndWritesInFlight_dropsEveryCopyAndRefusesAfterwards(long seed) {
    FaultPlan faults = FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(20));
    CoherenceSettings settings = CoherenceSettings.DEFAULTS.withoutResourceReports();
    try (SimCluster c = SimCluster.of(NODES, 2, 2, seed, faults, settings)) {
      GlobalAddress freed = c.page(0);
      GlobalAddress kept = c.page(1);
      // Ownership moves to node 2 and every node holds a read copy of both pages.
      for (int i = 1; i <= 4; i++) {
        c.await(c.write(2, freed, i), LIMIT);
        c.await(c.write(3, kept, 10 + i), LIMIT);
      }
      for (int n = 0; n < NODES; n++) {
        c.await(c.read(n, freed), LIMIT);
        c.await(c.read(n, kept), LIMIT);
      }
      List<CompletableFuture<Long>> inFlight = new ArrayList<>();
      for (int n = 0; n < NODES; n++) {
        inFlight.add(c.write(n, freed, 100 + n));
      }
      c.await(c.free(0), LIMIT);
      for (CompletableFuture<Long> write : inFlight) {
        // Each write either took effect before the free or was refused: none hangs.
        try {
          c.await(write, LIMIT);
        } catch (CompletionException refused) {
          assertThat(refused).hasRootCauseInstanceOf(RefusedException.class);
        }
      }
      c.simulation().runUntilQuiescent(LIMIT);
      for (int n = 0; n < NODES; n++) {
        assertThat(c.engine(n).readLocal(freed)).as("node %d serves no copy of the freed page", n).isNull();
        assertThat(c.engine(n).heldCopy(freed)).as("node %d holds no copy of the freed page", n).isNull();
        int node = n;
        assertThatThrownBy(() -> c.await(c.read(node, freed), LIMIT)).hasRootCauseInstanceOf(RefusedException.class);
        assertThatThrownBy(() -> c.await(c.write(node, freed, 1), LIMIT))
            .hasRootCauseInstanceOf(RefusedException.class);
        assertThat(c.await(c.read(n, kept), LIMIT)).as("the other page is untouched").isEqualTo(14);
      }
      assertThat(c.owners(freed)).isZero();
    }
  }
}
