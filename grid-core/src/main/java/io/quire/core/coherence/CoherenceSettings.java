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
 */
public record CoherenceSettings(Duration retransmitAfter, int migrateAfterStreak, int redirectsBeforeResponsible) {

  /** Defaults for a LAN: 50 ms retransmission, migrate after 3 writes in a row. */
  public static final CoherenceSettings DEFAULTS = new CoherenceSettings(Duration.ofMillis(50), 3, 2);

  public CoherenceSettings {
    if (retransmitAfter.isNegative() || retransmitAfter.isZero()) {
      throw new IllegalArgumentException("retransmitAfter must be positive, not " + retransmitAfter);
    }
    if (migrateAfterStreak < 1) {
      throw new IllegalArgumentException("migrateAfterStreak must be at least 1, not " + migrateAfterStreak);
    }
  }
}
