package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridClock;
import io.quire.core.runtime.GridRuntime;
import io.quire.core.runtime.GridScheduler.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request deadlines checked by one timer task: each request still fails at its own deadline, and a request whose
 * deadline is not the earliest schedules nothing. Runs on a hand-driven clock and scheduler (one thread).
 */
class RequestTimeoutsTest {
  private static final NodeId TO = new NodeId(7);
  private static final Duration SECOND = Duration.ofSeconds(1);

  private long now = 1_000_000_000L;
  private final List<Task> scheduled = new ArrayList<>();
  private final List<String> expired = new ArrayList<>();
  private final GridClock clock = new GridClock() {
    @Override
    public long nanos() {
      return now;
    }

    @Override
    public long millis() {
      return now / 1_000_000;
    }
  };
  private final RequestTimeouts timeouts = new RequestTimeouts(new GridRuntime(clock, this::schedule),
      (id, to, timeout) -> expired.add(id + "->" + to.value() + " after " + timeout.toMillis() + " ms"));

  private static final class Task implements Cancellable {
    final long at;
    final Runnable body;
    boolean cancelled;
    boolean ran;

    Task(long at, Runnable body) {
      this.at = at;
      this.body = body;
    }

    @Override
    public boolean cancel() {
      boolean was = !cancelled && !ran;
      cancelled = true;
      return was;
    }
  }

  private Cancellable schedule(Runnable body, Duration delay) {
    Task task = new Task(now + delay.toNanos(), body);
    scheduled.add(task);
    return task;
  }

  /** Moves the clock forward by {@code millis}, running every task due by then in deadline order. */
  private void advance(long millis) {
    long until = now + millis * 1_000_000;
    while (true) {
      Task next = null;
      for (Task t : scheduled) {
        if (!t.cancelled && !t.ran && t.at <= until && (next == null || t.at < next.at)) {
          next = t;
        }
      }
      if (next == null) {
        break;
      }
      now = next.at;
      next.ran = true;
      next.body.run();
    }
    now = until;
  }

  private long live() {
    return scheduled.stream().filter(t -> !t.cancelled && !t.ran).count();
  }

  @Test
  void aRequest_expiresAtItsDeadline_notBefore() {
    timeouts.start(1, TO, SECOND);

    advance(999);
    assertThat(expired).isEmpty();
    advance(1);
    assertThat(expired).containsExactly("1->7 after 1000 ms");
    assertThat(timeouts.size()).isZero();
  }

  @Test
  void requestsWithLaterDeadlines_scheduleNoFurtherTimerTask() {
    for (int i = 1; i <= 100; i++) {
      timeouts.start(i, TO, SECOND);
      advance(1);
    }

    assertThat(scheduled).hasSize(1);
  }

  @Test
  void eachRequest_stillExpiresAtItsOwnDeadline_whenSeveralWait() {
    timeouts.start(1, TO, SECOND);
    advance(300);
    timeouts.start(2, TO, SECOND);

    advance(700);
    assertThat(expired).containsExactly("1->7 after 1000 ms");
    advance(299);
    assertThat(expired).hasSize(1);
    advance(1);
    assertThat(expired).containsExactly("1->7 after 1000 ms", "2->7 after 1000 ms");
    assertThat(live()).isZero();
  }

  @Test
  void anEarlierDeadline_armsAnEarlierCheck_andTheLaterOneStillExpires() {
    timeouts.start(1, TO, Duration.ofSeconds(10));
    timeouts.start(2, TO, Duration.ofMillis(100));

    advance(100);
    assertThat(expired).containsExactly("2->7 after 100 ms");
    advance(9_899);
    assertThat(expired).hasSize(1);
    advance(1);
    assertThat(expired).containsExactly("2->7 after 100 ms", "1->7 after 10000 ms");
  }

  @Test
  void aCancelledDeadline_neverExpires_andLeavesNoTimerTaskBehind() {
    Cancellable first = timeouts.start(1, TO, SECOND);

    assertThat(first.cancel()).isTrue();
    assertThat(first.cancel()).isFalse();
    advance(2_000);

    assertThat(expired).isEmpty();
    assertThat(timeouts.size()).isZero();
    assertThat(live()).isZero();
  }

  @Test
  void afterClose_nothingExpires() {
    timeouts.start(1, TO, SECOND);
    timeouts.close();
    timeouts.start(2, TO, SECOND);

    advance(5_000);

    assertThat(expired).isEmpty();
  }

  @Test
  void aHugeTimeout_doesNotOverflowTheClock() {
    timeouts.start(1, TO, Duration.ofDays(365_000));
    timeouts.start(2, TO, SECOND);

    advance(1_000);

    assertThat(expired).containsExactly("2->7 after 1000 ms");
    assertThat(timeouts.size()).isEqualTo(1);
  }
}
