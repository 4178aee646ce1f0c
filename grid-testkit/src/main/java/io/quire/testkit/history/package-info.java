/**
 * Recording and checking histories of operations on pages: {@link io.quire.testkit.history.History} records what
 * clients invoked and what they were told, {@link io.quire.testkit.history.LinearizabilityChecker} decides whether
 * each page behaved as one atomic register, and {@link io.quire.testkit.history.HistoryAssert} turns that into an
 * AssertJ assertion. Design: {@code docs/design/linearizability.md}.
 */
package io.quire.testkit.history;
