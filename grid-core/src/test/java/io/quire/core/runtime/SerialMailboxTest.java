package io.quire.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialMailboxTest {
  private final SerialMailbox mailbox = new SerialMailbox("test-mailbox");

  @AfterEach
  void shutDown() throws InterruptedException {
    mailbox.shutdown();
    assertThat(mailbox.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void execute_whenIdle_runsTheTaskOnTheSubmittingThreadBeforeReturning() {
    List<Thread> ranOn = new ArrayList<>();

    mailbox.execute(() -> ranOn.add(Thread.currentThread()));

    assertThat(ranOn).containsExactly(Thread.currentThread());
    assertThat(mailbox.busy()).isFalse();
  }

  @Test
  void execute_fromARunningTask_runsTheNewTaskAfterItNotInsideIt() {
    List<String> order = new ArrayList<>();

    mailbox.execute(() -> {
      order.add("outer starts");
      mailbox.execute(() -> order.add("inner"));
      order.add("outer ends");
    });

    assertThat(order).containsExactly("outer starts", "outer ends", "inner");
  }

  @Test
  void execute_whileAnotherThreadRunsTasks_returnsAtOnceAndThatThreadRunsTheTask() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Thread runner = runnerHolding(release, () -> { });
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();

    mailbox.execute(() -> ranOn.complete(Thread.currentThread()));

    assertThat(ranOn).isNotDone();
    release.countDown();
    assertThat(ranOn.get(10, TimeUnit.SECONDS)).isSameAs(runner);
    runner.join(10_000);
  }

  @Test
  void execute_aSubmitterRunsAtMostMaxInlineTasks_thenTheMailboxThreadRunsTheRest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> ranOn = Collections.synchronizedList(new ArrayList<>());
    Thread runner = runnerHolding(release, () -> ranOn.add(Thread.currentThread().getName()));
    int queued = SerialMailbox.MAX_INLINE + 36;
    CountDownLatch allRan = new CountDownLatch(queued);
    for (int i = 0; i < queued; i++) {
      mailbox.execute(() -> {
        ranOn.add(Thread.currentThread().getName());
        allRan.countDown();
      });
    }

    release.countDown();

    assertThat(allRan.await(10, TimeUnit.SECONDS)).isTrue();
    runner.join(10_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat(ranOn).hasSize(queued + 1);
    assertThat(ranOn.subList(0, SerialMailbox.MAX_INLINE)).containsOnly("runner");
    assertThat(ranOn.subList(SerialMailbox.MAX_INLINE, ranOn.size())).containsOnly("test-mailbox");
  }

  @Test
  void execute_fromManyThreadsAtOnce_tasksNeverOverlapAndEachThreadsTasksRunInOrder() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int[] lastSeen = new int[threads];
    java.util.Arrays.fill(lastSeen, -1);
    AtomicInteger outOfOrder = new AtomicInteger();
    int[] counter = new int[1];
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread submitter = new Thread(() -> {
        await(go);
        for (int i = 0; i < perThread; i++) {
          int sequence = i;
          mailbox.execute(() -> {
            if (inside.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            // Plain fields: the mailbox's ordering is the only thing that makes these reads see the last writes.
            if (lastSeen[me] != sequence - 1) {
              outOfOrder.incrementAndGet();
            }
            lastSeen[me] = sequence;
            counter[0]++;
            inside.decrementAndGet();
          });
        }
      }, "submitter-" + t);
      submitters.add(submitter);
      submitter.start();
    }

    go.countDown();
    for (Thread submitter : submitters) {
      submitter.join(60_000);
    }
    CompletableFuture<Integer> total = new CompletableFuture<>();
    mailbox.executeLater(() -> total.complete(counter[0]));

    assertThat(total.get(10, TimeUnit.SECONDS)).isEqualTo(threads * perThread);
    assertThat(overlaps).hasValue(0);
    assertThat(outOfOrder).hasValue(0);
  }

  @Test
  void execute_aTaskThatThrows_isLoggedAndTheNextTaskStillRuns() {
    List<String> ran = new ArrayList<>();

    mailbox.execute(() -> {
      throw new IllegalStateException("a bug in a task");
    });
    mailbox.execute(() -> ran.add("next"));

    assertThat(ran).containsExactly("next");
  }

  @Test
  void execute_byAnInterruptedThread_runsTheTaskUninterruptedAndRestoresTheInterrupt() {
    List<Boolean> interruptedInside = new ArrayList<>();
    Thread.currentThread().interrupt();
    try {
      mailbox.execute(() -> interruptedInside.add(Thread.currentThread().isInterrupted()));

      assertThat(interruptedInside).containsExactly(false);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void executeLater_neverRunsTheTaskOnTheCaller() throws Exception {
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();

    mailbox.executeLater(() -> ranOn.complete(Thread.currentThread()));

    Thread thread = ranOn.get(10, TimeUnit.SECONDS);
    assertThat(thread).isNotSameAs(Thread.currentThread());
    assertThat(thread.getName()).isEqualTo("test-mailbox");
    assertThat(thread.isDaemon()).isTrue();
  }

  @Test
  void shutdown_refusesNewTasksButRunsTheQueuedOnes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    runnerHolding(release, () -> { });
    mailbox.execute(ran::incrementAndGet);

    mailbox.shutdown();

    assertThatThrownBy(() -> mailbox.execute(ran::incrementAndGet))
        .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("test-mailbox");
    assertThat(mailbox.awaitTermination(Duration.ofMillis(50))).isFalse();
    release.countDown();
    assertThat(mailbox.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(ran).hasValue(1);
  }

  /**
   * Starts a thread named "runner" that submits a task which waits for {@code release} and then runs {@code then}, so
   * the runner is the mailbox's running thread; returns once that task has started.
   */
  private Thread runnerHolding(CountDownLatch release, Runnable then) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    Thread runner = new Thread(() -> mailbox.execute(() -> {
      started.countDown();
      await(release);
      then.run();
    }), "runner");
    runner.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    return runner;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
