package io.quire.core.runtime;

import java.time.Duration;

/**
 * Runs tasks after a delay measured on the runtime's {@link GridClock}. grid-core never creates its own timer
 * threads, so a simulation can run every timer on its one thread in virtual time.
 */
public interface GridScheduler {

  /**
   * Runs {@code task} once, {@code delay} from now. The task must not block: in production it runs on a shared timer
   * thread, in a simulation on the simulation's only thread.
   *
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that has not run yet. */
  @FunctionalInterface
  interface Cancellable {

    /** Prevents the task from running. Returns false if it already ran or was cancelled. */
    boolean cancel();
  }
}
