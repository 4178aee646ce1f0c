package io.quire.core.coherence;

import java.time.Duration;

/**
 * Tuning of the coherence protocol.
 *
 * @param retransmitAfter how long a request, invalidation, replica update or ownership grant waits for its answer
 *     before it is sent again (messages may be lost; every one of them is idempotent)
 * @param migrateAfterStreak how many writes in a row from one remote node make the owner hand it the page instead
 *     of applying its writes remotely (the migration controller)
 * @param redirectsBeforeResponsible after this many attempts a request stops trusting its owner hint and asks the
 *     responsible node
 * @param publishResourcesEvery how often a node sends its free RAM and disk to the others (zero: never)
 */
public record CoherenceSettings(Duration retransmitAfter, int migrateAfterStreak, int redirectsBeforeResponsible,
    Duration publishResourcesEvery) {

  /** Defaults for a LAN: 50 ms retransmission, migrate after 3 writes in a row, resources published every 5 s. */
  public static final CoherenceSettings DEFAULTS = new CoherenceSettings(Duration.ofMillis(50), 3, 2,
      Duration.ofSeconds(5));

  /** The same, without periodic resource reports (for simulations that run until nothing is left to do). */
  public CoherenceSettings withoutResourceReports() {
    return new CoherenceSettings(retransmitAfter, migrateAfterStreak, redirectsBeforeResponsible, Duration.ZERO);
  }

  /** Whether nodes publish their free RAM and disk. */
  public boolean publishesResources() {
    return !publishResourcesEvery.isZero();
  }

  public CoherenceSettings {
    if (retransmitAfter.isNegative() || retransmitAfter.isZero()) {
      throw new IllegalArgumentException("retransmitAfter must be positive, not " + retransmitAfter);
    }
    if (publishResourcesEvery.isNegative()) {
      throw new IllegalArgumentException("publishResourcesEvery must not be negative: " + publishResourcesEvery);
    }
    if (migrateAfterStreak < 1) {
      throw new IllegalArgumentException("migrateAfterStreak must be at least 1, not " + migrateAfterStreak);
    }
  }
}
