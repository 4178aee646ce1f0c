package io.quire.testkit.history;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict of {@link LinearizabilityChecker} on a whole history.
 *
 * <p>{@link #toString()} is the readable explanation: for a violation, the register, the operation whose response no
 * linearization explains, the longest partial linearization and a timeline of the operations around it.
 *
 * @param <K> the register key type
 */
public final class CheckResult<K> {

  /** The three possible answers. */
  public enum Verdict {
    /** Every register's sub-history has a linearization. */
    LINEARIZABLE,
    /** Some register's sub-history has none; {@link #register()} names the first. */
    NOT_LINEARIZABLE,
    /** No violation found, but the search on some register hit the state bound before it could decide. */
    INCONCLUSIVE
  }

  private final Verdict verdict;
  private final K register;
  private final String explanation;
  private final int registersChecked;
  private final int operationsChecked;
  private final long statesExplored;

  CheckResult(Verdict verdict, K register, String explanation, int registersChecked, int operationsChecked,
      long statesExplored) {
    this.verdict = Objects.requireNonNull(verdict);
    this.register = register;
    this.explanation = Objects.requireNonNull(explanation);
    this.registersChecked = registersChecked;
    this.operationsChecked = operationsChecked;
    this.statesExplored = statesExplored;
  }

  /** The verdict. */
  public Verdict verdict() {
    return verdict;
  }

  /** True iff the verdict is {@link Verdict#LINEARIZABLE}; inconclusive is not a pass. */
  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /** The first violating register, or for an inconclusive result the first undecided one; empty if linearizable. */
  public Optional<K> register() {
    return Optional.ofNullable(register);
  }

  /** A human-readable account of the verdict, with a timeline for a violation. */
  public String explanation() {
    return explanation;
  }

  /** How many registers were checked (all of them unless a violation stopped the check early). */
  public int registersChecked() {
    return registersChecked;
  }

  /** How many operations those registers held, failed ones included. */
  public int operationsChecked() {
    return operationsChecked;
  }

  /** Distinct search configurations visited, over all registers checked. */
  public long statesExplored() {
    return statesExplored;
  }

  @Override
  public String toString() {
    return explanation;
  }
}
