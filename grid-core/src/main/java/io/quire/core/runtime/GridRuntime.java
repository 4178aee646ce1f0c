package io.quire.core.runtime;

import static java.util.Objects.requireNonNull;

/**
 * Every source of time a grid node uses, injected so that production runs on the system clock
 * ({@link SystemRuntime}) and tests run in virtual time on one thread (the in-JVM transport's simulation mode).
 *
 * @param clock where "now" comes from
 * @param scheduler where delayed work (timeouts, retries) runs
 */
public record GridRuntime(GridClock clock, GridScheduler scheduler) {

  public GridRuntime {
    requireNonNull(clock, "clock");
    requireNonNull(scheduler, "scheduler");
  }
}
