package io.quire.transport.local;

import io.quire.core.runtime.GridClock;
import java.time.Duration;

/**
 * Virtual time of a {@link Simulation}: it stands still until the simulation delivers an event, then jumps to that
 * event's time. Starts at {@link #START_MILLIS} on the wall clock (a fixed instant, so runs are reproducible) and 0
 * nanoseconds.
 *
 * <p>Confined to the simulation's thread.
 */
public final class SimClock implements GridClock {
  /** The wall-clock time at which every simulation starts: 2024-01-01T00:00:00Z. */
  public static final long START_MILLIS = 1_704_067_200_000L;

  private long nanos;

  SimClock() {}

  @Override
  public long millis() {
    return START_MILLIS + nanos / 1_000_000;
  }

  @Override
  public long nanos() {
    return nanos;
  }

  /** Virtual time since the simulation started. */
  public Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  void advanceTo(long target) {
    if (target < nanos) {
      throw new IllegalStateException("virtual time runs forward only: at " + nanos + " ns, asked for " + target);
    }
    nanos = target;
  }
}
