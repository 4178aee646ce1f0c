package io.quire.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Smoke tests of the search's cost on long single-register histories; they print timings and assert none. */
class CheckerPerformanceTest {

  @Test
  void fiveClientsTwoThousandOpsEachOnOneRegister() {
    List<Operation<String>> ops = new AtomicRegisterSimulation(42, 5, 1, 0).run(2_000);
    History<String> history = AtomicRegisterSimulation.replay(ops);
    long start = System.nanoTime();
    CheckResult<String> result = new LinearizabilityChecker().check(history);
    long micros = (System.nanoTime() - start) / 1_000;
    System.out.printf("perf: %d ops, %d states, %d us: %s%n", history.size(), result.statesExplored(), micros,
        result.verdict());
    assertThat(result.isLinearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void sameWithOnePercentUnknownOutcomes() {
    List<Operation<String>> ops = new AtomicRegisterSimulation(43, 5, 1, 0.01).run(2_000);
    History<String> history = AtomicRegisterSimulation.replay(ops);
    long start = System.nanoTime();
    CheckResult<String> result = new LinearizabilityChecker().check(history);
    long micros = (System.nanoTime() - start) / 1_000;
    System.out.printf("perf (1%% unknown): %d ops, %d states, %d us: %s%n", history.size(), result.statesExplored(),
        micros, result.verdict());
    assertThat(result.isLinearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void violationLateInALongHistoryIsFoundAndExplained() {
    List<Operation<String>> ops = new java.util.ArrayList<>(new AtomicRegisterSimulation(44, 5, 1, 0).run(2_000));
    int victim = ops.size() - 1;
    while (!(ops.get(victim).op() instanceof Op.Read)) {
      victim--;
    }
    Operation<String> read = ops.get(victim);
    ops.set(victim, read.completed(Operation.Status.OK, -5, read.responseTime()));
    long start = System.nanoTime();
    CheckResult<String> result = new LinearizabilityChecker().check(AtomicRegisterSimulation.replay(ops));
    long micros = (System.nanoTime() - start) / 1_000;
    System.out.printf("perf (violation at op %d): %d states, %d us%n%s", victim, result.statesExplored(), micros,
        result.explanation());
    assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains(read.completed(Operation.Status.OK, -5, read.responseTime())
        .describe());
  }
}
