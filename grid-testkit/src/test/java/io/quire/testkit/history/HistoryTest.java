package io.quire.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recorder's contract: ids, validation, and use from real threads. */
class HistoryTest {

  private final History<String> history = new History<>();

  @Test
  void idsAreSequentialAndOperationsKeepTheirResponses() {
    long w = history.invoke(1, "A", Op.write(3), 10);
    long r = history.invoke(2, "A", Op.read(), 11);
    history.ok(w, 12);
    history.ok(r, 3, 13);
    assertThat(w).isZero();
    assertThat(r).isOne();
    assertThat(history.operations()).extracting(Operation::describe)
        .containsExactly("#0 c1 write(3) -> ok", "#1 c2 read -> 3");
  }

  @Test
  void clientWithAnOperationInFlightCannotInvokeAnother() {
    history.invoke(1, "A", Op.write(3), 10);
    assertThatThrownBy(() -> history.invoke(1, "B", Op.read(), 11))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("in flight");
  }

  @Test
  void clientMayMoveOnAfterAnUnknownOutcome() {
    history.unknown(history.invoke(1, "A", Op.write(3), 10));
    history.invoke(1, "A", Op.read(), 11);
    assertThat(history.operations().get(0).status()).isEqualTo(Operation.Status.UNKNOWN);
  }

  @Test
  void responseMustMatchTheKindOfOperation() {
    long r = history.invoke(1, "A", Op.read(), 0);
    assertThatThrownBy(() -> history.ok(r, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.ok(r, true, 1)).isInstanceOf(IllegalArgumentException.class);
    long w = history.invoke(2, "A", Op.write(1), 0);
    assertThatThrownBy(() -> history.ok(w, 5, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void responseBeforeInvocationIsRejected() {
    long w = history.invoke(1, "A", Op.write(1), 10);
    assertThatThrownBy(() -> history.ok(w, 9)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before the invocation");
  }

  @Test
  void secondResponseIsRejected() {
    long w = history.invoke(1, "A", Op.write(1), 10);
    history.ok(w, 11);
    assertThatThrownBy(() -> history.unknown(w)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void realThreadsOnAnAtomicLongRecordALinearizableHistory() throws InterruptedException {
    AtomicLong register = new AtomicLong();
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int client = t;
      workers[t] = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < 300; i++) {
          long id = history.invoke(client, "A", Op.read(), System.nanoTime());
          long seen = register.get();
          history.ok(id, seen, System.nanoTime());
          long update = client * 1_000_000L + i + 1;
          id = history.invoke(client, "A", Op.cas(seen, update), System.nanoTime());
          boolean swapped = register.compareAndSet(seen, update);
          history.ok(id, swapped, System.nanoTime());
        }
      });
      workers[t].start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    HistoryAssert.assertThat(history).isLinearizable();
  }

  @Test
  void tinyStateBoundIsReportedAsInconclusive() {
    Histories h = new Histories();
    for (int c = 0; c < 6; c++) {
      h.unknownWrite(c, "A", c + 1, c);
    }
    h.write(9, "A", 100, 20, 21).read(9, "A", 100, 22, 23);
    CheckResult<String> result = new LinearizabilityChecker().withMaxStates(3).check(h.history());
    assertThat(result.verdict()).isEqualTo(CheckResult.Verdict.INCONCLUSIVE);
    assertThat(result.register()).contains("A");
    assertThat(result.explanation()).contains("inconclusive").contains("bound of 3 states");
    assertThatThrownBy(() -> HistoryAssert.assertThat(h.history())
        .usingChecker(new LinearizabilityChecker().withMaxStates(3)).isLinearizable())
        .hasMessageContaining("inconclusive");
  }
}
