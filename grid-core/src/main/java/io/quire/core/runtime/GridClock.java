package io.quire.core.runtime;

import java.time.Instant;

/**
 * The grid's only source of time. grid-core never reads the system clock directly, so a simulation can drive time
 * (see {@link GridRuntime}).
 */
public interface GridClock {

  /** Wall-clock time in epoch milliseconds: for timestamps that outlive the JVM or that other nodes read. */
  long millis();

  /** Monotonic time in nanoseconds: only differences are meaningful; for timeouts and elapsed time. */
  long nanos();

  /** {@link #millis()} as an instant. */
  default Instant now() {
    return Instant.ofEpochMilli(millis());
  }
}
