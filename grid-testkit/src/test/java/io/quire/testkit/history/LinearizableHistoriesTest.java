package io.quire.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-made histories that have a linearization: the checker must accept each. */
class LinearizableHistoriesTest {

  private final Histories h = new Histories();

  private void assertLinearizable() {
    HistoryAssert.assertThat(h.history()).isLinearizable();
  }

  @Test
  void emptyHistory() {
    assertLinearizable();
  }

  @Test
  void sequentialWritesAndReads() {
    h.read(1, "A", 0, 0, 1).write(1, "A", 5, 2, 3).read(2, "A", 5, 4, 5).write(2, "A", 6, 6, 7).read(1, "A", 6, 8, 9);
    assertLinearizable();
  }

  @Test
  void overlappingWrites_readsMaySeeEitherOrder() {
    // Writes of 1 and 2 overlap; later reads agree on 2 winning, or (second case) on 1 winning.
    h.write(1, "A", 1, 0, 10).write(2, "A", 2, 5, 15).read(3, "A", 2, 20, 21).read(1, "A", 2, 22, 23);
    assertLinearizable();
    Histories other = new Histories();
    other.write(1, "A", 1, 0, 10).write(2, "A", 2, 5, 15).read(3, "A", 1, 20, 21).read(1, "A", 1, 22, 23);
    HistoryAssert.assertThat(other.history()).isLinearizable();
  }

  @Test
  void readConcurrentWithWrite_mayReturnOldValue() {
    h.write(1, "A", 1, 0, 1).write(1, "A", 2, 10, 20).read(2, "A", 1, 12, 14);
    assertLinearizable();
  }

  @Test
  void readConcurrentWithWrite_mayReturnNewValue() {
    h.write(1, "A", 1, 0, 1).write(1, "A", 2, 10, 20).read(2, "A", 2, 12, 14);
    assertLinearizable();
  }

  @Test
  void concurrentReadsMaySeeOldThenNewButNotBack() {
    // Two reads inside one write: the first sees old, the second (after the first) sees new.
    h.write(1, "A", 2, 10, 40).read(2, "A", 0, 12, 14).read(2, "A", 2, 16, 18).read(3, "A", 2, 45, 46);
    assertLinearizable();
  }

  @Test
  void touchingOperationsCountAsConcurrent() {
    // The read's invocation equals the write's response time: a coarse clock cannot order them, so both orders pass.
    h.write(1, "A", 1, 0, 10).read(2, "A", 0, 10, 12);
    assertLinearizable();
  }

  @Test
  void casChain() {
    h.cas(1, "A", 0, 1, true, 0, 2).cas(2, "A", 1, 2, true, 3, 5).cas(1, "A", 1, 3, false, 6, 7)
        .cas(2, "A", 2, 3, true, 8, 9).read(1, "A", 3, 10, 11);
    assertLinearizable();
  }

  @Test
  void concurrentCasesOnSameValue_oneWinsOneLoses() {
    h.cas(1, "A", 0, 1, true, 0, 10).cas(2, "A", 0, 2, false, 0, 10).read(3, "A", 1, 11, 12);
    assertLinearizable();
  }

  @Test
  void unknownWriteThatTookEffect() {
    h.write(1, "A", 1, 0, 1).unknownWrite(1, "A", 7, 2).read(2, "A", 7, 100, 101);
    assertLinearizable();
  }

  @Test
  void unknownWriteThatDidNotTakeEffect() {
    h.write(1, "A", 1, 0, 1).unknownWrite(1, "A", 7, 2).read(2, "A", 1, 100, 101);
    assertLinearizable();
  }

  @Test
  void unknownWriteTakingEffectLate_afterLaterWrites() {
    // Timed out at 2, landed after the completed write of 3: a read of 7 after 3 is fine.
    h.unknownWrite(1, "A", 7, 2).write(2, "A", 3, 10, 11).read(2, "A", 3, 12, 13).read(3, "A", 7, 20, 21);
    assertLinearizable();
  }

  @Test
  void unknownCas_eitherOutcome() {
    h.unknownCas(1, "A", 0, 5, 0).read(2, "A", 5, 10, 11);
    assertLinearizable();
    Histories other = new Histories();
    other.unknownCas(1, "A", 0, 5, 0).read(2, "A", 0, 10, 11);
    HistoryAssert.assertThat(other.history()).isLinearizable();
  }

  @Test
  void pendingOperationsCountAsUnknown() {
    History<String> history = new History<>();
    history.invoke(1, "A", Op.write(9), 0);                // never answered
    history.ok(history.invoke(2, "A", Op.read(), 5), 9, 6);
    HistoryAssert.assertThat(history).isLinearizable();
  }

  @Test
  void failedOperationsAreIgnored() {
    History<String> history = new History<>();
    history.failed(history.invoke(1, "A", Op.write(9), 0));
    history.ok(history.invoke(2, "A", Op.read(), 5), 0, 6);
    HistoryAssert.assertThat(history).isLinearizable();
  }

  @Test
  void configurableInitialValue() {
    h.read(1, "A", 42, 0, 1);
    assertThat(new LinearizabilityChecker().check(h.history()).isLinearizable()).isFalse();
    HistoryAssert.assertThat(h.history()).usingChecker(new LinearizabilityChecker().withInitialValue(42))
        .isLinearizable();
  }

  @Test
  void independentRegistersDoNotConstrainEachOther() {
    // On one register, "A=1 then B=0 then A=0" would be inconsistent for a single register; across two it is fine.
    h.write(1, "A", 1, 0, 1).read(2, "B", 0, 2, 3).write(1, "B", 1, 4, 5).read(2, "A", 1, 6, 7);
    CheckResult<String> result = new LinearizabilityChecker().check(h.history());
    assertThat(result.isLinearizable()).as(result.explanation()).isTrue();
    assertThat(result.registersChecked()).isEqualTo(2);
    assertThat(result.operationsChecked()).isEqualTo(4);
  }
}
