package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

/**
 * One cache entry as it lies in a bucket page: the key's and the value's serialised bytes, and the instant (epoch
 * milliseconds) from which it counts as expired. The arrays belong to the caller once handed out; they are never
 * views of a page.
 *
 * @param expiresAt the first millisecond at which the entry is expired, {@link #NEVER} for an eternal entry
 */
public record StoredEntry(byte[] key, byte[] value, long expiresAt) {

  /** The expiry instant of an entry that never expires. */
  public static final long NEVER = Long.MAX_VALUE;

  /** Rejects null arrays. */
  public StoredEntry {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
  }

  /** Whether the entry is expired at {@code now} (epoch milliseconds). */
  public boolean isExpiredAt(long now) {
    return expiresAt <= now;
  }
}
