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
 * Random reads, writes and compare-and-sets from two clients on each of 3 to 5 nodes, on 4 shared pages, with k = 2;
 * every page's history must be linearizable, and after every step at most one node owns a page and no node can serve
 * a local read older than the newest committed version. Each seed is its own test case: {@code -Dsim.seed=N} replays
 * one, {@code -Dsim.seeds=N} runs the first N (500 by default; the soak profile runs 10,000).
 */
class CoherenceSimulationTest {
  private static final int PAGES = 4;

  static LongStream seeds() {
    Long one = Long.getLong("sim.seed");
    return one != null ? LongStream.of(one) : LongStream.range(0, Long.getLong("sim.seeds", 500));
  }

  /** A network that drops 5%, duplicates 5% and delays 1-30 ms (so reorders). */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomTraffic_overAFaultyNetwork_isLinearizablePerPage(long seed) {
    run(seed, FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(30)), 25, false,
        "randomTraffic_overAFaultyNetwork_isLinearizablePerPage");
  }

  /**
   * The same over a lossy network with node crashes and restarts from disk (one node down at a time, the next crash
   * only once every page has k copies again): no acknowledged write is lost and no stale copy is served.
   */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomTraffic_withCrashesAndRestarts_isLinearizablePerPage(long seed) {
    run(seed, FaultPlan.none().withDrop(0.03).withDuplicate(0.03)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(30)), 30, true,
        "randomTraffic_withCrashesAndRestarts_isLinearizablePerPage");
  }

  /**
   * The same over a lossy network with split brains: a node is cut off and both sides install views of their own
   * (the minority refuses its clients' operations), then the views merge: no acknowledged write is lost and no side
   * serves a stale read.
   */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomTraffic_withSplitBrainsAndMerges_isLinearizablePerPage(long seed) {
    run(seed, FaultPlan.none().withDrop(0.03).withDuplicate(0.03)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(30)), 30, false, true,
        "randomTraffic_withSplitBrainsAndMerges_isLinearizablePerPage");
  }

  private static void run(long seed, FaultPlan faults, int opsPerClient, boolean crashes, String test) {
    run(seed, faults, opsPerClient, crashes, false, test);
  }

  private static void run(long seed, FaultPlan faults, int opsPerClient, boolean crashes, boolean splits,
      String test) {
    int nodes = 3 + (int) Math.floorMod(seed, 3);
    String replay = "seed " + seed + " (replay: mvn -pl grid-testkit test -Dtest='CoherenceSimulationTest#" + test
        + "' -Dsim.seed=" + seed + ")";
    CoherenceSettings settings = CoherenceSettings.DEFAULTS.withoutResourceReports();
    try (SimCluster cluster = SimCluster.of(nodes, PAGES, 2, seed, faults, settings)) {
      cluster.setStepHook(new CoherenceInvariants(cluster, PAGES, replay));
      History<GlobalAddress> history = cluster.randomWorkload(2, opsPerClient, Duration.ofMinutes(10), seed, crashes,
          splits);
      assertThat(history).as(replay).isLinearizable();
      if (Boolean.getBoolean("sim.verbose")) {
        System.out.println(replay + ": " + cluster.crashes() + " crashes, " + cluster.restarts() + " restarts, "
            + cluster.splits() + " splits, "
            + history.size() + " operations, " + cluster.simulation().clock().nanos() / 1_000_000 + " virtual ms");
      }
      cluster.simulation().runUntilQuiescent(Duration.ofMinutes(1));
      for (int p = 0; p < PAGES; p++) {
        // With a node possibly still down at the end, a page may be between owners; never with two.
        assertThat(cluster.owners(cluster.page(p))).as(replay + cluster.describe(cluster.page(p)))
            .isBetween(crashes ? 0 : 1, 1);
      }
    }
  }
}
