package io.quire.jcache;

import io.quire.jcache.store.StoredEntry;
import java.util.function.Supplier;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;

/**
 * Turns a cache's {@link ExpiryPolicy} answers into expiry instants. Each method asks the policy exactly once, as the
 * TCK counts: a policy that throws is treated as JCache says (eternal on creation, unchanged on update or access).
 */
final class ExpiryRules {
  private final ExpiryPolicy policy;

  ExpiryRules(ExpiryPolicy policy) {
    this.policy = policy;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /** The expiry instant of an entry created at {@code now}; {@code now} itself (expired) for a zero duration. */
  long onCreation(long now) {
    Long at = instant(policy::getExpiryForCreation, now);
    return at == null ? StoredEntry.NEVER : at;
  }

  /** The new expiry instant of an entry updated at {@code now}, or null to keep the current one. */
  Long onUpdate(long now) {
    return instant(policy::getExpiryForUpdate, now);
  }

  /** The new expiry instant of an entry read at {@code now}, or null to keep the current one. */
  Long onAccess(long now) {
    return instant(policy::getExpiryForAccess, now);
  }

  private static Long instant(Supplier<Duration> ask, long now) {
    Duration duration;
    try {
      duration = ask.get();
    } catch (RuntimeException e) {
      return null;
    }
    if (duration == null) {
      return null;
    }
    if (duration.isEternal()) {
      return StoredEntry.NEVER;
    }
    if (duration.isZero()) {
      return now;
    }
    long at = duration.getAdjustedTime(now);
    return at < 0 ? StoredEntry.NEVER : at;
  }
}
