package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

/** What an {@link EntryMutation} does to the entry of its key. */
public sealed interface Change {

  /** Leaves the entry (or its absence) as it is. */
  Keep KEEP = new Keep();

  /** Removes the entry, if any. */
  Remove REMOVE = new Remove();

  /** Leaves the entry as it is. */
  record Keep() implements Change {}

  /** Removes the entry, if any. */
  record Remove() implements Change {}

  /** Stores {@code value} under the key, replacing any entry, expiring at {@code expiresAt}. */
  record Put(byte[] value, long expiresAt) implements Change {
    /** Rejects a null value. */
    public Put {
      requireNonNull(value, "value");
    }
  }

  /** Keeps the value of the present entry and sets its expiry instant; on an absent key it does nothing. */
  record SetExpiry(long expiresAt) implements Change {}
}
