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
 * @param publishResourcesEvery how often a node sends its free RAM and disk to the others (zero: never); the reports
 *     are also the heartbeats of the read lease
 * @param lease the read lease (zero: none): a node serves nothing once it has not heard from a quorum of its view
 *     for this long, and a reconfiguration that lost members waits this long before promoting anyone, so a node cut
 *     off from the majority has stopped serving its copies before the majority can write them. At least twice the
 *     report interval.
 */
public record CoherenceSettings(Duration retransmitAfter, int migrateAfterStreak, int redirectsBeforeResponsible,
    Duration publishResourcesEvery, Duration lease) {

  /**
   * Defaults for a LAN: 50 ms retransmission, migrate after 3 writes in a row, resources published every second, a
   * 3 s read lease.
   */
  public static final CoherenceSettings DEFAULTS = new CoherenceSettings(Duration.ofMillis(50), 3, 2,
      Duration.ofSeconds(1), Duration.ofSeconds(3));

  /** Settings without a read lease. */
  public CoherenceSettings(Duration retransmitAfter, int migrateAfterStreak, int redirectsBeforeResponsible,
      Duration publishResourcesEvery) {
    this(retransmitAfter, migrateAfterStreak, redirectsBeforeResponsible, publishResourcesEvery, Duration.ZERO);
  }

  /**
   * The same without periodic resource reports, and so without the read lease they carry (for simulations that run
   * until nothing is left to do).
   */
  public CoherenceSettings withoutResourceReports() {
    return new CoherenceSettings(retransmitAfter, migrateAfterStreak, redirectsBeforeResponsible, Duration.ZERO,
        Duration.ZERO);
  }

  /** The same with resource reports every {@code every} and a read lease of {@code lease}. */
  public CoherenceSettings withLease(Duration every, Duration lease) {
    return new CoherenceSettings(retransmitAfter, migrateAfterStreak, redirectsBeforeResponsible, every, lease);
  }

  /** Whether nodes keep a read lease. */
  public boolean leases() {
    return !lease.isZero();
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
    if (lease.isNegative()) {
      throw new IllegalArgumentException("lease must not be negative: " + lease);
    }
    if (!lease.isZero()
        && (publishResourcesEvery.isZero() || lease.compareTo(publishResourcesEvery.multipliedBy(2)) < 0)) {
      throw new IllegalArgumentException("a lease of " + lease + " needs resource reports (its heartbeats) at most "
          + "half as long apart, not every " + publishResourcesEvery);
    }
    if (migrateAfterStreak < 1) {
      throw new IllegalArgumentException("migrateAfterStreak must be at least 1, not " + migrateAfterStreak);
    }
  }
}
