package io.quire.testkit.history;

/**
 * What {@link RegisterSearch} found for one register, in positions of its {@link RegisterOps}.
 *
 * @param outcome the verdict
 * @param statesExplored distinct (linearized set, state) configurations visited
 * @param culprit for a violation, the operation whose response no linearization gets past; for an inconclusive run,
 *     the furthest such operation reached so far, or -1
 * @param bestOps the last few operations of the longest partial linearization, oldest first
 * @param bestStates the register state after each of {@code bestOps}
 * @param bestDepth how many operations that partial linearization held in total
 */
record RegisterVerdict(CheckResult.Verdict outcome, long statesExplored, int culprit, int[] bestOps,
    long[] bestStates, int bestDepth) {

  static RegisterVerdict linearizable(long states) {
    return new RegisterVerdict(CheckResult.Verdict.LINEARIZABLE, states, -1, new int[0], new long[0], 0);
  }

  static RegisterVerdict inconclusive(long states, int furthest) {
    return new RegisterVerdict(CheckResult.Verdict.INCONCLUSIVE, states, furthest, new int[0], new long[0], 0);
  }

  static RegisterVerdict violation(long states, int culprit, int[] bestOps, long[] bestStates, int bestDepth) {
    return new RegisterVerdict(CheckResult.Verdict.NOT_LINEARIZABLE, states, culprit, bestOps, bestStates, bestDepth);
  }
}
