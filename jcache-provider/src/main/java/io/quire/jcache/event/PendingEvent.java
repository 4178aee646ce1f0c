package io.quire.jcache.event;

import javax.cache.event.EventType;

/**
 * A change that happened, before it is shaped for each listener: {@code value} is the new value for CREATED and
 * UPDATED, the value the entry held for REMOVED and EXPIRED; {@code oldValue} is the value before an UPDATED change.
 */
public record PendingEvent<K, V>(EventType type, K key, V value, V oldValue) {

  /** A created entry. */
  public static <K, V> PendingEvent<K, V> created(K key, V value) {
    return new PendingEvent<>(EventType.CREATED, key, value, null);
  }

  /** An updated entry. */
  public static <K, V> PendingEvent<K, V> updated(K key, V value, V oldValue) {
    return new PendingEvent<>(EventType.UPDATED, key, value, oldValue);
  }

  /** A removed entry. */
  public static <K, V> PendingEvent<K, V> removed(K key, V oldValue) {
    return new PendingEvent<>(EventType.REMOVED, key, oldValue, oldValue);
  }

  /** An expired entry. */
  public static <K, V> PendingEvent<K, V> expired(K key, V oldValue) {
    return new PendingEvent<>(EventType.EXPIRED, key, oldValue, oldValue);
  }
}
