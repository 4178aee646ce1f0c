package io.quire.testkit.history;

import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link History}.
 *
 * <pre>{@code
 * HistoryAssert.assertThat(history).as("seed=%d", seed).isLinearizable();
 * }</pre>
 *
 * Failures carry the checker's explanation, timeline included.
 */
public final class HistoryAssert extends AbstractAssert<HistoryAssert, History<?>> {

  private LinearizabilityChecker checker = new LinearizabilityChecker();

  private HistoryAssert(History<?> actual) {
    super(actual, HistoryAssert.class);
  }

  /** Starts an assertion on {@code history}. */
  public static HistoryAssert assertThat(History<?> history) {
    return new HistoryAssert(history);
  }

  /** Uses {@code checker} (another initial value or bound) instead of the default one. */
  public HistoryAssert usingChecker(LinearizabilityChecker checker) {
    this.checker = Objects.requireNonNull(checker, "checker");
    return this;
  }

  /** Verifies that the history is linearizable; an inconclusive check fails too, saying so. */
  public HistoryAssert isLinearizable() {
    isNotNull();
    CheckResult<?> result = checker.check(actual);
    if (!result.isLinearizable()) {
      failWithMessage("expected a linearizable history of %d operations, but %s", actual.size(),
          result.explanation());
    }
    return this;
  }

  /** Verifies that the checker finds a violation (for tests of the checker and of deliberately broken code). */
  public HistoryAssert isNotLinearizable() {
    isNotNull();
    CheckResult<?> result = checker.check(actual);
    if (result.verdict() != CheckResult.Verdict.NOT_LINEARIZABLE) {
      failWithMessage("expected a violation in a history of %d operations, but %s", actual.size(),
          result.explanation());
    }
    return this;
  }
}
