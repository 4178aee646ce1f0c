package io.quire.jcache;

import java.util.List;
import java.util.function.Consumer;
import javax.cache.event.EventType;

/**
 * Carries the entry events of shared caches between the nodes of a grid, so that a listener registered on one node
 * hears of changes made on another. Events travel as serialised bytes (what a network would carry) and are decoded by
 * the receiving node's cache. Delivery to other nodes is asynchronous, in the order each node published them.
 */
interface EventBus {

  /** A grid of one node has no other node to tell. */
  EventBus NONE = new EventBus() {
    @Override
    public boolean hasRemoteSubscribers(String cacheName, Object self) {
      return false;
    }

    @Override
    public void publish(String cacheName, Object self, List<EncodedEvent> events) {}

    @Override
    public Runnable subscribe(String cacheName, Object self, Consumer<List<EncodedEvent>> handler) {
      return () -> {};
    }
  };

  /** Whether a cache other than {@code self} listens to {@code cacheName}; publishers skip encoding when none does. */
  boolean hasRemoteSubscribers(String cacheName, Object self);

  /** Hands {@code events} of {@code cacheName}, made through {@code self}, to every other subscriber. */
  void publish(String cacheName, Object self, List<EncodedEvent> events);

  /**
   * Subscribes {@code self} to the events other nodes publish for {@code cacheName}.
   *
   * @return unsubscribes
   */
  Runnable subscribe(String cacheName, Object self, Consumer<List<EncodedEvent>> handler);

  /** One event as bytes: the key, the value (new for CREATED/UPDATED, removed for REMOVED/EXPIRED), the old value. */
  record EncodedEvent(EventType type, byte[] key, byte[] value, byte[] oldValue) {}
}
