package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * The {@code <expiry>} element.
 *
 * @param policy which JCache policy
 * @param duration the policy's duration: empty for {@link ExpiryPolicyKind#ETERNAL}, positive for the others
 * @param location where the element was declared
 */
public record ExpiryDescriptor(ExpiryPolicyKind policy, Optional<Duration> duration, Location location)
    implements Locatable {

  /** Eternal, as JCache's {@code MutableConfiguration} defaults to. */
  public static final ExpiryDescriptor ETERNAL =
      new ExpiryDescriptor(ExpiryPolicyKind.ETERNAL, Optional.empty(), Location.PROGRAMMATIC);

  /** @throws IllegalArgumentException if the duration's presence or sign does not fit the policy */
  public ExpiryDescriptor {
    requireNonNull(policy, "policy");
    requireNonNull(duration, "duration");
    requireNonNull(location, "location");
    String problem = problem(policy, duration);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Why {@code duration} does not fit {@code policy}, or null if it does; shared with the parser's located errors. */
  static String problem(ExpiryPolicyKind policy, Optional<Duration> duration) {
    if (policy == ExpiryPolicyKind.ETERNAL) {
      return duration.isPresent() ? "policy eternal takes no duration" : null;
    }
    if (duration.isEmpty()) {
      return "policy " + policy.name().toLowerCase(Locale.ROOT) + " needs a duration (example: PT10M)";
    }
    return duration.get().isNegative() || duration.get().isZero() ? "duration must be positive" : null;
  }

  /** The JCache factory for this policy. Durations are kept to the millisecond, JCache's finest practical unit. */
  public Factory<ExpiryPolicy> factory() {
    if (policy == ExpiryPolicyKind.ETERNAL) {
      return EternalExpiryPolicy.factoryOf();
    }
    var jcache = new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, duration.orElseThrow().toMillis());
    return switch (policy) {
      case CREATED -> CreatedExpiryPolicy.factoryOf(jcache);
      case ACCESSED -> AccessedExpiryPolicy.factoryOf(jcache);
      case MODIFIED -> ModifiedExpiryPolicy.factoryOf(jcache);
      case TOUCHED -> TouchedExpiryPolicy.factoryOf(jcache);
      case ETERNAL -> throw new AssertionError("handled above");
    };
  }
}
