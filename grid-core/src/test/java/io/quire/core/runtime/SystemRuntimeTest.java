package io.quire.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SystemRuntimeTest {

  @Test
  void schedule_runsTheTaskOnADaemonTimerThreadAfterTheDelay() throws Exception {
    try (SystemRuntime system = SystemRuntime.start()) {
      GridClock clock = system.runtime().clock();
      long start = clock.nanos();
      CompletableFuture<Thread> ran = new CompletableFuture<>();

      system.runtime().scheduler().schedule(() -> ran.complete(Thread.currentThread()), Duration.ofMillis(20));

      Thread timer = ran.get(10, TimeUnit.SECONDS);
      assertThat(timer.isDaemon()).isTrue();
      assertThat(timer.getName()).startsWith("quire-timer-");
      assertThat(clock.nanos() - start).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }
  }

  @Test
  void cancel_beforeTheDelay_preventsTheRun() throws Exception {
    try (SystemRuntime system = SystemRuntime.start()) {
      AtomicBoolean ran = new AtomicBoolean();
      GridScheduler.Cancellable task = system.runtime().scheduler().schedule(() -> ran.set(true),
          Duration.ofHours(1));

      assertThat(task.cancel()).isTrue();
      assertThat(task.cancel()).isFalse();
      // A later task on the same single timer thread runs after the cancelled one would have been considered.
      CompletableFuture<Boolean> probe = new CompletableFuture<>();
      system.runtime().scheduler().schedule(() -> probe.complete(ran.get()), Duration.ZERO);
      assertThat(probe.get(10, TimeUnit.SECONDS)).isFalse();
    }
  }
}
