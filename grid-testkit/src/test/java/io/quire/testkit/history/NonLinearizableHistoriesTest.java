package io.quire.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Hand-made histories with no linearization: the checker must find the violation, on the right register. */
class NonLinearizableHistoriesTest {

  private final Histories h = new Histories();

  private CheckResult<String> assertViolationOn(String register, String culprit) {
    CheckResult<String> result = new LinearizabilityChecker().check(h.history());
    assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.NOT_LINEARIZABLE);
    assertThat(result.register()).contains(register);
    assertThat(result.explanation()).contains(culprit + " [").contains("<- cannot be linearized");
    return result;
  }

  @Test
  void staleReadAfterCompletedWrite() {
    h.write(1, "A", 1, 0, 1).write(1, "A", 2, 2, 3).read(2, "A", 1, 4, 5);
    assertViolationOn("A", "#2 c2 read -> 1");
  }

  @Test
  void sequentialReadsGoingBackInTime() {
    // Both reads overlap the write of 2, so either alone is fine; new-then-old is not.
    h.write(1, "A", 1, 0, 1).write(1, "A", 2, 10, 50).read(2, "A", 2, 12, 14).read(3, "A", 1, 16, 18);
    assertViolationOn("A", "#3 c3 read -> 1");
  }

  @Test
  void readOfValueNeverWritten() {
    h.write(1, "A", 1, 0, 1).read(2, "A", 99, 2, 3);
    assertViolationOn("A", "#1 c2 read -> 99");
  }

  @Test
  void casSucceedingOnStaleExpectedValue() {
    h.write(1, "A", 1, 0, 1).write(1, "A", 2, 2, 3).cas(2, "A", 1, 5, true, 4, 5);
    assertViolationOn("A", "#2 c2 cas(1, 5) -> swapped");
  }

  @Test
  void casFailingAlthoughExpectedValueHeld() {
    h.write(1, "A", 1, 0, 1).cas(2, "A", 1, 5, false, 2, 3);
    assertViolationOn("A", "#1 c2 cas(1, 5) -> not swapped");
  }

  @Test
  void lostUpdateInReadModifyWrite() {
    // Two increments of a counter: both read 0, both "win" their CAS 0 -> 1 (one of them must have lost).
    h.read(1, "A", 0, 0, 1).read(2, "A", 0, 0, 1)
        .cas(1, "A", 0, 1, true, 2, 4).cas(2, "A", 0, 1, true, 3, 5);
    assertViolationOn("A", "#3 c2 cas(0, 1) -> swapped");
  }

  @Test
  void unknownWriteCannotExplainAReadBeforeItsInvocation() {
    h.read(2, "A", 7, 0, 1).unknownWrite(1, "A", 7, 5);
    assertViolationOn("A", "#0 c2 read -> 7");
  }

  @Test
  void violationOnSecondRegisterIsReportedAsThatRegister() {
    h.write(1, "A", 1, 0, 1).read(2, "A", 1, 2, 3)
        .write(1, "B", 1, 4, 5).write(1, "B", 2, 6, 7).read(2, "B", 1, 8, 9)
        .write(1, "C", 3, 10, 11).read(2, "C", 3, 12, 13);
    CheckResult<String> result = assertViolationOn("B", "#4 c2 read -> 1");
    assertThat(result.explanation()).startsWith("register B is not linearizable");
  }

  @Test
  void explanationShowsTheTimelineAndPartialLinearization() {
    h.write(1, "A", 1, 0, 1).write(1, "A", 2, 10, 50).read(2, "A", 2, 12, 14).read(3, "A", 1, 16, 18);
    String text = new LinearizabilityChecker().check(h.history()).explanation();
    assertThat(text)
        .contains("Longest partial linearization")
        .contains("#1 c1 write(2) -> ok")
        .contains("|--")
        .contains("[16, 18]");
  }

  @Test
  void historyAssertFailsWithTheExplanation() {
    h.write(1, "A", 1, 0, 1).read(2, "A", 0, 2, 3);
    assertThatThrownBy(() -> HistoryAssert.assertThat(h.history()).as("seed=%d", 7).isLinearizable())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("seed=7")
        .hasMessageContaining("register A is not linearizable")
        .hasMessageContaining("#1 c2 read -> 0");
    HistoryAssert.assertThat(h.history()).isNotLinearizable();
  }
}
