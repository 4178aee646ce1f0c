package io.quire.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Histories of a real atomic register under random concurrent clients must pass; the same histories with one read
 * corrupted must fail, on the corrupted register. {@code -Dsim.seed=N} replays one seed.
 */
class RandomizedHistoriesTest {

  private static final int CLIENTS = 4;
  private static final int OPS_PER_CLIENT = 60;
  private static final int REGISTERS = 3;
  private static final double UNKNOWN_RATE = 0.05;

  static LongStream seeds() {
    Long seed = Long.getLong("sim.seed");
    return seed != null ? LongStream.of(seed) : LongStream.range(0, 40);
  }

  private static List<Operation<String>> simulate(long seed) {
    return new AtomicRegisterSimulation(seed, CLIENTS, REGISTERS, UNKNOWN_RATE).run(OPS_PER_CLIENT);
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void realAtomicRegisterIsLinearizable(long seed) {
    HistoryAssert.assertThat(AtomicRegisterSimulation.replay(simulate(seed))).as("seed=%d", seed).isLinearizable();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void readOfAValueNoWriteProducedIsCaught(long seed) {
    List<Operation<String>> ops = new ArrayList<>(simulate(seed));
    SplittableRandom random = new SplittableRandom(seed ^ 0x5EEDL);
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).op() instanceof Op.Read && ops.get(i).status() == Operation.Status.OK) {
        reads.add(i);
      }
    }
    assumeTrue(!reads.isEmpty(), "seed=" + seed + " produced no completed read");
    int victim = reads.get(random.nextInt(reads.size()));
    Operation<String> read = ops.get(victim);
    ops.set(victim, read.completed(Operation.Status.OK, -1 - read.result(), read.responseTime()));

    assertViolationOn(ops, read, seed);
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void staleReadIsCaught(long seed) {
    List<Operation<String>> ops = new ArrayList<>(simulate(seed));
    SplittableRandom random = new SplittableRandom(seed ^ 0x57A1EL);
    List<int[]> candidates = staleCandidates(ops);
    assumeTrue(!candidates.isEmpty(), "seed=" + seed + " has no read with a certainly overwritten value");
    int[] pick = candidates.get(random.nextInt(candidates.size()));
    Operation<String> read = ops.get(pick[0]);
    long staleValue = pick[1] < 0 ? 0 : writtenValue(ops.get(pick[1]));
    ops.set(pick[0], read.completed(Operation.Status.OK, staleValue, read.responseTime()));

    assertViolationOn(ops, read, seed);
  }

  private static void assertViolationOn(List<Operation<String>> ops, Operation<String> mutated, long seed) {
    CheckResult<String> result = new LinearizabilityChecker().check(AtomicRegisterSimulation.replay(ops));
    assertThat(result.verdict()).as("seed=%d, mutated %s%n%s", seed, mutated.describe(), result.explanation())
        .isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    assertThat(result.register()).as("seed=%d", seed).contains(mutated.key());
  }

  /**
   * Pairs (read, writer whose value is certainly stale for it): the writer completed before another definite writer
   * of the same register began, and that one completed before the read began. Values are unique, so the stale value
   * can never come back. Writer -1 stands for the initial value.
   */
  private static List<int[]> staleCandidates(List<Operation<String>> ops) {
    List<int[]> out = new ArrayList<>();
    for (int r = 0; r < ops.size(); r++) {
      Operation<String> read = ops.get(r);
      if (!(read.op() instanceof Op.Read) || read.status() != Operation.Status.OK) {
        continue;
      }
      for (int w2 = 0; w2 < ops.size(); w2++) {
        Operation<String> overwrite = ops.get(w2);
        if (!definitelyWrote(overwrite, read.key()) || overwrite.responseTime() >= read.invokeTime()) {
          continue;
        }
        out.add(new int[] {r, -1});
        for (int w = 0; w < ops.size(); w++) {
          Operation<String> old = ops.get(w);
          if (definitelyWrote(old, read.key()) && old.responseTime() < overwrite.invokeTime()
              && writtenValue(old) != read.result()) {
            out.add(new int[] {r, w});
          }
        }
      }
    }
    return out;
  }

  private static boolean definitelyWrote(Operation<String> o, String key) {
    return o.key().equals(key) && o.status() == Operation.Status.OK
        && (o.op() instanceof Op.Write || (o.op() instanceof Op.Cas && o.result() == 1));
  }

  private static long writtenValue(Operation<String> o) {
    return o.op() instanceof Op.Write w ? w.value() : ((Op.Cas) o.op()).update();
  }
}
