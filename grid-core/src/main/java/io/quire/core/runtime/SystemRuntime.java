package io.quire.core.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The production runtime: the system clock and one daemon timer thread. The only class in grid-core that may read
 * {@code System.currentTimeMillis}/{@code System.nanoTime}; everything else takes time from a {@link GridRuntime}.
 * Close it to stop the timer thread (daemon threads never keep the JVM alive, but tests start many runtimes).
 */
public final class SystemRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SystemRuntime.class.getName());
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ScheduledThreadPoolExecutor timer;
  private final GridRuntime runtime;

  private SystemRuntime(String name) {
    timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    });
    // Request timeouts are mostly cancelled (the response came first): do not keep them queued until they expire.
    timer.setRemoveOnCancelPolicy(true);
    runtime = new GridRuntime(SystemClock.INSTANCE, this::schedule);
  }

  /** Starts a runtime whose timer thread is named {@code quire-timer-N}. */
  public static SystemRuntime start() {
    return new SystemRuntime("quire-timer-" + INSTANCES.incrementAndGet());
  }

  /** The clock and scheduler to hand to grid components. */
  public GridRuntime runtime() {
    return runtime;
  }

  private GridScheduler.Cancellable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?> future = timer.schedule(() -> runLogged(task), Math.max(0, delay.toNanos()),
        TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  // A ScheduledExecutorService hides a task's exception in a future nobody reads: log it instead.
  private static void runLogged(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "scheduled task " + task + " failed", e);
    }
  }

  /** Stops the timer thread; tasks not yet run are dropped. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The real clock. */
  private enum SystemClock implements GridClock {
    INSTANCE;

    @Override
    public long millis() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }
  }
}
