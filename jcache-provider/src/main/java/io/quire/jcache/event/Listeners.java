package io.quire.jcache.event;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;

/**
 * The listeners registered on one cache on this node, and the delivery of the events of one operation to them.
 *
 * <p>Events fire after the change is made and its page released, in the calling thread for synchronous listeners (so
 * the operation returns only after they ran) and on a serial executor per listener for asynchronous ones. A failure
 * of a synchronous listener reaches the caller as a {@link CacheEntryListenerException}; the change stays made.
 *
 * <p>Lock discipline: {@code registrations} is a copy-on-write list, read without locks; registering and
 * deregistering are rare.
 */
public final class Listeners<K, V> {
  private final List<ListenerRegistration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private final Executor executor;

  /** @param executor runs asynchronous deliveries */
  public Listeners(Executor executor) {
    this.executor = executor;
  }

  /**
   * Registers a listener.
   *
   * @throws IllegalArgumentException if an equal configuration is already registered
   */
  public synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (ListenerRegistration<K, V> r : registrations) {
      if (r.configuration().equals(configuration)) {
        throw new IllegalArgumentException("listener configuration " + configuration + " is already registered");
      }
    }
    registrations.add(new ListenerRegistration<>(configuration, executor));
  }

  /** Removes a listener; a configuration that is not registered is ignored. */
  public synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (ListenerRegistration<K, V> r : registrations) {
      if (r.configuration().equals(configuration)) {
        registrations.remove(r);
        r.close();
        return;
      }
    }
  }

  /** Whether any listener is registered; operations skip building events when none is. */
  public boolean isEmpty() {
    return registrations.isEmpty();
  }

  /** Whether any listener listens to events of {@code type}. */
  public boolean wants(EventType type) {
    for (ListenerRegistration<K, V> r : registrations) {
      if (r.listensTo(type)) {
        return true;
      }
    }
    return false;
  }

  /** Delivers the events of one operation, in order, to every listener. */
  public void fire(Cache<K, V> source, List<PendingEvent<K, V>> events) {
    if (events.isEmpty() || registrations.isEmpty()) {
      return;
    }
    RuntimeException failure = null;
    for (ListenerRegistration<K, V> r : registrations) {
      Map<EventType, List<CacheEntryEvent<? extends K, ? extends V>>> byType = new EnumMap<>(EventType.class);
      List<EventType> order = new ArrayList<>();
      for (PendingEvent<K, V> e : events) {
        QuireCacheEntryEvent<K, V> shaped;
        try {
          shaped = r.shape(source, e);
        } catch (RuntimeException filterFailure) {
          failure = first(failure, filterFailure);
          continue;
        }
        if (shaped != null) {
          byType.computeIfAbsent(e.type(), t -> {
            order.add(t);
            return new ArrayList<>();
          }).add(shaped);
        }
      }
      for (EventType type : order) {
        try {
          r.deliver(type, byType.get(type));
        } catch (RuntimeException e) {
          failure = first(failure, e);
        }
      }
    }
    if (failure != null) {
      throw failure instanceof CacheEntryListenerException c ? c : new CacheEntryListenerException(failure);
    }
  }

  private static RuntimeException first(RuntimeException kept, RuntimeException next) {
    if (kept == null) {
      return next;
    }
    kept.addSuppressed(next);
    return kept;
  }

  /** Closes every listener and filter that is {@link java.io.Closeable}. */
  public synchronized void close() {
    for (ListenerRegistration<K, V> r : registrations) {
      r.close();
    }
    registrations.clear();
  }
}
