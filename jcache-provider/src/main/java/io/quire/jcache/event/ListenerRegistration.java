package io.quire.jcache.event;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * One registered listener: its configuration, the listener and filter its factories made, and for an asynchronous
 * listener the serial executor that keeps its events in the order they happened.
 */
final class ListenerRegistration<K, V> {
  private final CacheEntryListenerConfiguration<K, V> configuration;
  private final CacheEntryListener<? super K, ? super V> listener;
  private final CacheEntryEventFilter<? super K, ? super V> filter;
  private final Executor serial;

  ListenerRegistration(CacheEntryListenerConfiguration<K, V> configuration, Executor shared) {
    this.configuration = configuration;
    Factory<CacheEntryListener<? super K, ? super V>> listenerFactory = configuration.getCacheEntryListenerFactory();
    if (listenerFactory == null) {
      throw new IllegalArgumentException("the listener configuration has no listener factory");
    }
    this.listener = listenerFactory.create();
    Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
        configuration.getCacheEntryEventFilterFactory();
    this.filter = filterFactory == null ? null : filterFactory.create();
    this.serial = configuration.isSynchronous() ? null : new SerialExecutor(shared);
  }

  CacheEntryListenerConfiguration<K, V> configuration() {
    return configuration;
  }

  boolean isSynchronous() {
    return serial == null;
  }

  boolean listensTo(EventType type) {
    return switch (type) {
      case CREATED -> listener instanceof CacheEntryCreatedListener;
      case UPDATED -> listener instanceof CacheEntryUpdatedListener;
      case REMOVED -> listener instanceof CacheEntryRemovedListener;
      case EXPIRED -> listener instanceof CacheEntryExpiredListener;
    };
  }

  /** Shapes {@code event} for this listener, or null if it does not listen to it or its filter rejects it. */
  QuireCacheEntryEvent<K, V> shape(Cache<K, V> source, PendingEvent<K, V> event) {
    if (!listensTo(event.type())) {
      return null;
    }
    boolean withOld = configuration.isOldValueRequired() && event.type() != EventType.CREATED;
    // For REMOVED and EXPIRED the value is the old value (JCache 1.1), so it too is kept from listeners that did not
    // ask for old values: such an event must not hand out what it says is not available.
    boolean valueIsOld = event.type() == EventType.REMOVED || event.type() == EventType.EXPIRED;
    V value = valueIsOld && !withOld ? null : event.value();
    QuireCacheEntryEvent<K, V> shaped =
        new QuireCacheEntryEvent<>(source, event.type(), event.key(), value, event.oldValue(), withOld);
    if (filter != null && !filter.evaluate(shaped)) {
      return null;
    }
    return shaped;
  }

  /** Delivers events of one type, in order; runs now for a synchronous listener, on its executor otherwise. */
  void deliver(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> events) {
    if (serial == null) {
      call(type, events);
    } else {
      serial.execute(() -> {
        try {
          call(type, events);
        } catch (RuntimeException e) {
          // An asynchronous listener's failure has no caller to reach; it must not stop later deliveries.
          System.getLogger(ListenerRegistration.class.getName())
              .log(System.Logger.Level.WARNING, "cache entry listener " + listener + " failed", e);
        }
      });
    }
  }

  @SuppressWarnings("unchecked")
  private void call(EventType type, List<CacheEntryEvent<? extends K, ? extends V>> events) {
    Iterable<CacheEntryEvent<? extends K, ? extends V>> it = events;
    switch (type) {
      case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(it);
      case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(it);
      case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(it);
      case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(it);
      default -> throw new CacheEntryListenerException("unknown event type " + type);
    }
  }

  void close() {
    closeQuietly(listener);
    closeQuietly(filter);
  }

  private static void closeQuietly(Object o) {
    if (o instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        System.getLogger(ListenerRegistration.class.getName())
            .log(System.Logger.Level.WARNING, "closing " + o + " failed", e);
      }
    }
  }
}
