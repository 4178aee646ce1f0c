package io.quire.testkit.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a {@link History} of register operations is linearizable: that every operation appears to take effect
 * at one instant between its invocation and its response, in an order a single atomic register would allow.
 *
 * <p>Registers are checked one at a time: linearizability is compositional (P-compositional in Horn &amp; Kroening's
 * terms), so a history is linearizable iff each register's sub-history is. Each register is an atomic {@code long}
 * register, initially {@link #withInitialValue 0}, supporting read, write and compare-and-set. The search per register
 * is Wing &amp; Gong's with Lowe's memoization, as in Porcupine; see {@code docs/design/linearizability.md}.
 *
 * <p>The problem is NP-complete in general, so the search is bounded: once a register's search has visited
 * {@link #withMaxStates maxStates} distinct configurations it stops and the result is
 * {@link CheckResult.Verdict#INCONCLUSIVE}, never a silent pass. Histories from real clients (few in flight at
 * once) need a handful of configurations per operation; open-outcome writes are what make the search blow up.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LinearizabilityChecker {

  /**
   * The default bound on configurations visited per register. Each costs roughly 100 bytes plus an eighth of a byte
   * per operation past the fully linearized prefix, so the worst case stays within a few hundred MB of heap.
   */
  public static final long DEFAULT_MAX_STATES = 2_000_000;

  private final long initialValue;
  private final long maxStates;

  /** A checker for registers that start at 0, with the default bound. */
  public LinearizabilityChecker() {
    this(0, DEFAULT_MAX_STATES);
  }

  private LinearizabilityChecker(long initialValue, long maxStates) {
    this.initialValue = initialValue;
    this.maxStates = maxStates;
  }

  /** A copy whose registers start at {@code value} (a page's version before its first write, say). */
  public LinearizabilityChecker withInitialValue(long value) {
    return new LinearizabilityChecker(value, maxStates);
  }

  /** A copy that gives up as inconclusive after visiting {@code max} configurations on one register. */
  public LinearizabilityChecker withMaxStates(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxStates must be positive, was " + max);
    }
    return new LinearizabilityChecker(initialValue, max);
  }

  /** Checks a snapshot of {@code history}. */
  public <K> CheckResult<K> check(History<K> history) {
    return check(history.operations());
  }

  /**
   * Checks {@code operations}. Registers are checked in order of their first invocation; the first violating one is
   * reported. Pending operations count as having an open outcome.
   */
  public <K> CheckResult<K> check(List<Operation<K>> operations) {
    Map<K, List<Operation<K>>> byRegister = new LinkedHashMap<>();
    for (Operation<K> o : operations) {
      byRegister.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
    }
    long states = 0;
    int registers = 0;
    int checkedOps = 0;
    K firstInconclusive = null;
    String inconclusiveText = null;
    for (Map.Entry<K, List<Operation<K>>> entry : byRegister.entrySet()) {
      registers++;
      checkedOps += entry.getValue().size();
      RegisterOps ops = decode(entry.getValue());
      RegisterVerdict v = new RegisterSearch(ops, initialValue, maxStates).run();
      states += v.statesExplored();
      switch (v.outcome()) {
        case NOT_LINEARIZABLE -> {
          return new CheckResult<>(CheckResult.Verdict.NOT_LINEARIZABLE, entry.getKey(),
              Explanation.violation(entry.getKey(), ops, v, initialValue), registers, checkedOps, states);
        }
        case INCONCLUSIVE -> {
          if (firstInconclusive == null) {
            firstInconclusive = entry.getKey();
            inconclusiveText = Explanation.inconclusive(entry.getKey(), ops, v, maxStates);
          }
        }
        case LINEARIZABLE -> { }
        default -> throw new AssertionError(v.outcome());
      }
    }
    if (firstInconclusive != null) {
      // Keep checking after an inconclusive register: a definite violation elsewhere is the more useful answer.
      return new CheckResult<>(CheckResult.Verdict.INCONCLUSIVE, firstInconclusive, inconclusiveText, registers,
          checkedOps, states);
    }
    return new CheckResult<>(CheckResult.Verdict.LINEARIZABLE, null, "linearizable: " + checkedOps
        + " operations on " + registers + " registers, " + states + " states explored", registers, checkedOps, states);
  }

  private static <K> RegisterOps decode(List<Operation<K>> ops) {
    List<Operation<K>> relevant = new ArrayList<>();
    for (Operation<K> o : ops) {
      if (RegisterOps.relevant(o)) {
        relevant.add(o);
      }
    }
    relevant.sort(Comparator.<Operation<K>>comparingLong(Operation::invokeTime).thenComparingLong(Operation::id));
    return new RegisterOps(relevant);
  }

  @Override
  public String toString() {
    return "LinearizabilityChecker[initialValue=" + initialValue + ", maxStates=" + maxStates + "]";
  }
}
