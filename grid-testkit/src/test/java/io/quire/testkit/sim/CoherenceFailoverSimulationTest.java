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
 * The coherence simulation with node crashes and restarts (fewer than k nodes down at once, k = 2): every page's
 * history must stay linearizable, so no acknowledged write is lost and no stale copy is served. {@code
 * -Dsim.seed=N} replays one seed, {@code -Dsim.seeds=N} runs the first N.
 */
class CoherenceFailoverSimulationTest {

  static LongStream seeds() {
    Long one = Long.getLong("sim.seed");
    return one != null ? LongStream.of(one) : LongStream.range(0, Long.getLong("sim.seeds", 500));
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomTraffic_withCrashesAndRestarts_isLinearizablePerPage(long seed) {
    int nodes = 3 + (int) Math.floorMod(seed, 3);
    FaultPlan faults = FaultPlan.none().withDrop(0.03).withDuplicate(0.03)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(30));
    String replay = "seed " + seed + " (replay: mvn -pl grid-testkit test -Dtest=CoherenceFailoverSimulationTest "
        + "-Dsim.seed=" + seed + ")";
    try (SimCluster cluster = SimCluster.of(nodes, 4, 2, seed, faults, CoherenceSettings.DEFAULTS.withoutResourceReports())) {
      cluster.setStepHook(new CoherenceInvariants(cluster, 4, replay));
      History<GlobalAddress> history = cluster.randomWorkload(2, 30, Duration.ofMinutes(10), seed, true);
      assertThat(history).as(replay).isLinearizable();
      if (Boolean.getBoolean("sim.verbose")) {
        System.out.println(replay + ": " + cluster.crashes() + " crashes, " + cluster.restarts() + " restarts, "
            + history.size() + " operations, " + cluster.simulation().clock().nanos() / 1_000_000 + " virtual ms");
      }
      cluster.simulation().runUntilQuiescent(Duration.ofMinutes(1));
      for (int p = 0; p < 4; p++) {
        assertThat(cluster.owners(cluster.page(p))).as(replay + cluster.describe(cluster.page(p)))
            .isLessThanOrEqualTo(1);
      }
    }
  }
}
