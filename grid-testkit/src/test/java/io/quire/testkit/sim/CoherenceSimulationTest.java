package io.quire.testkit.sim;

import static io.quire.testkit.history.HistoryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.testkit.history.History;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random reads, writes and compare-and-sets from several clients on every node, over a network that delays,
 * reorders, duplicates and drops messages; every page's history must be linearizable. Each seed is its own test
 * case; {@code -Dsim.seed=N} replays one, {@code -Dsim.seeds=N} runs the first N.
 */
class CoherenceSimulationTest {

  static LongStream seeds() {
    Long one = Long.getLong("sim.seed");
    return one != null ? LongStream.of(one) : LongStream.range(0, Long.getLong("sim.seeds", 500));
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomTraffic_overAFaultyNetwork_isLinearizablePerPage(long seed) {
    int nodes = 3 + (int) Math.floorMod(seed, 3);
    FaultPlan faults = FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(30));
    String replay = "seed " + seed + " (replay: mvn -pl grid-testkit test -Dtest=CoherenceSimulationTest "
        + "-Dsim.seed=" + seed + ")";
    try (SimCluster cluster = SimCluster.of(nodes, 4, 2, seed, faults, CoherenceSettings.DEFAULTS.withoutResourceReports())) {
      cluster.setStepHook(new CoherenceInvariants(cluster, 4, replay));
      History<GlobalAddress> history = cluster.randomWorkload(2, 25, Duration.ofMinutes(10), seed);
      assertThat(history).as(replay).isLinearizable();
      cluster.simulation().runUntilQuiescent(Duration.ofMinutes(1));
      for (int p = 0; p < 4; p++) {
        assertThat(cluster.owners(cluster.page(p))).as(replay + cluster.describe(cluster.page(p))).isEqualTo(1);
      }
    }
  }
}
