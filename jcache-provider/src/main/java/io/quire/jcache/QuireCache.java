package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.jcache.event.Listeners;
import io.quire.jcache.event.PendingEvent;
import io.quire.jcache.management.CacheConfigurationView;
import io.quire.jcache.management.CacheStatistics;
import io.quire.jcache.management.MBeans;
import io.quire.jcache.store.Change;
import io.quire.jcache.store.EntryMutation.Outcome;
import io.quire.jcache.store.EntryStore;
import io.quire.jcache.store.StoredEntry;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache cache whose entries live in grid pages ({@link EntryStore}): every operation on a key is one read or one
 * atomic change of the key's bucket page, so a value read anywhere is never stale and {@code putIfAbsent},
 * {@code replace} and {@code invoke} are atomic across threads and nodes. Values are stored by value: the page bytes
 * are the copy, made once by serialisation.
 *
 * <p>Loaders, writers and entry processors run in the calling thread while the key's bucket page is held, once per
 * operation; listeners run after the page is released. Statistics and listeners are those of this node.
 */
public final class QuireCache<K, V> implements Cache<K, V> {
  private final String name;
  private final QuireCacheManager manager;
  // Guarded by this: the listener configurations change as listeners are registered.
  private final MutableConfiguration<K, V> configuration;
  private final EntryStore store;
  private final Codec<K, V> codec;
  private final ExpiryRules expiry;
  private final Through<K, V> through;
  private final Listeners<K, V> listeners;
  private final CacheStatistics statistics = new CacheStatistics();
  private final Executor executor;
  private final Runnable onClose;
  private final EventBus bus;
  // Guarded by this: set while listeners are registered, so other nodes' changes reach them.
  private Runnable unsubscribe;
  private volatile boolean closed;

  QuireCache(String name, QuireCacheManager manager, MutableConfiguration<K, V> configuration, EntryStore store,
      Codec<K, V> codec, Executor executor, EventBus bus, Runnable onClose) {
    this.name = name;
    this.manager = manager;
    this.configuration = configuration;
    this.store = store;
    this.codec = codec;
    this.executor = executor;
    this.onClose = onClose;
    this.bus = bus;
    this.expiry = new ExpiryRules(configuration.getExpiryPolicyFactory().create());
    this.through = new Through<>(
        configuration.getCacheLoaderFactory() == null ? null : configuration.getCacheLoaderFactory().create(),
        configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
            ? configuration.getCacheWriterFactory().create() : null);
    this.listeners = new Listeners<>(executor);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      listeners.register(listener);
    }
    subscribeWhileListening();
    statistics.setEnabled(configuration.isStatisticsEnabled());
    if (configuration.isStatisticsEnabled()) {
      MBeans.register(MBeans.Kind.STATISTICS, manager.getURI(), name, statistics);
    }
    if (configuration.isManagementEnabled()) {
      MBeans.register(MBeans.Kind.CONFIGURATION, manager.getURI(), name, configurationView());
    }
  }

  private CacheConfigurationView configurationView() {
    return new CacheConfigurationView(() -> configuration);
  }

  // ---------------------------------------------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    List<PendingEvent<K, V>> events = new ArrayList<>(0);
    V value = read(key, k, events, true);
    fire(events);
    statistics.getTime(start);
    return value;
  }

  /** The live value of a key, loading it through the loader on a miss if {@code load}; counts a hit or a miss. */
  private V read(K key, byte[] k, List<PendingEvent<K, V>> events, boolean load) {
    long now = now();
    // The value is decoded where it lies in the page (an expired one not at all): no copy of the entry first.
    Found<V> found;
    try {
      found = store.read(k, (bytes, offset, length, expiresAt) -> expiresAt <= now ? new Found<>(null, expiresAt)
          : new Found<>(codec.decodeValue(bytes, offset, length), expiresAt));
    } catch (Codec.StaleReferenceException overwritten) {
      return read(key, k, events, load);
    }
    if (found != null && found.value != null) {
      Long at = expiry.onAccess(now);
      if (at != null && at != found.expiresAt) {
        setExpiry(k, at, now);
      }
      statistics.hits(1);
      return found.value;
    }
    if (found != null) {
      expire(key, k, now, events);
    }
    statistics.misses(1);
    if (!load || !isReadThrough()) {
      return null;
    }
    V loaded = through.load(key);
    if (loaded == null) {
      return null;
    }
    storeLoaded(key, k, loaded, events);
    return loaded;
  }

  /** What a read found: the live value, or null for an entry expired at {@code expiresAt}. */
  private record Found<V>(V value, long expiresAt) {}

  /** Stores a value the loader produced unless a live entry arrived meanwhile; loads never reach the writer. */
  private void storeLoaded(K key, byte[] k, V loaded, List<PendingEvent<K, V>> events) {
    byte[] v = codec.value(loaded);
    store.compute(k, current -> {
      long now = now();
      return new Outcome<>(live(current, now) ? Change.KEEP : create(key, current, loaded, v, now, events), null);
    });
  }

  private void setExpiry(byte[] k, long at, long now) {
    store.compute(k, current -> new Outcome<>(
        live(current, now) ? new Change.SetExpiry(at) : Change.KEEP, null));
  }

  /** Removes a key's entry if it is still expired, with an EXPIRED event. */
  private void expire(K key, byte[] k, long now, List<PendingEvent<K, V>> events) {
    store.compute(k, current -> {
      if (current == null || !current.isExpiredAt(now)) {
        return new Outcome<>(Change.KEEP, null);
      }
      expiredEvent(key, current, events);
      return new Outcome<>(Change.REMOVE, null);
    });
  }

  private void expiredEvent(K key, StoredEntry expired, List<PendingEvent<K, V>> events) {
    if (expired != null && wants(EventType.EXPIRED)) {
      events.add(PendingEvent.expired(key, codec.decodeValue(expired.value())));
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireOpen();
    requireNonNull(keys, "keys");
    long start = startTime();
    Map<K, byte[]> encoded = encodeKeys(keys);
    Map<K, V> result = new HashMap<>();
    List<PendingEvent<K, V>> events = new ArrayList<>(0);
    List<K> missing = new ArrayList<>();
    encoded.forEach((key, k) -> {
      V value = read(key, k, events, false);
      if (value != null) {
        result.put(key, value);
      } else {
        missing.add(key);
      }
    });
    if (!missing.isEmpty() && isReadThrough()) {
      Map<K, V> loaded = through.loadAll(missing);
      for (K key : missing) {
        V value = loaded.get(key);
        if (value != null) {
          storeLoaded(key, encoded.get(key), value, events);
          result.put(key, value);
        }
      }
    }
    fire(events);
    statistics.getTime(start);
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    requireOpen();
    StoredEntry entry = store.get(codec.key(key));
    return live(entry, now());
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
    requireOpen();
    requireNonNull(keys, "keys");
    for (K key : keys) {
      requireNonNull(key, "keys contains a null key");
    }
    if (through.loader() == null) {
      if (completionListener != null) {
        completionListener.onCompletion();
      }
      return;
    }
    List<K> copy = new ArrayList<>(keys);
    executor.execute(() -> {
      try {
        List<K> toLoad = new ArrayList<>();
        for (K key : copy) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : through.loadAll(toLoad);
        List<PendingEvent<K, V>> events = new ArrayList<>();
        for (K key : toLoad) {
          V value = loaded.get(key);
          if (value != null) {
            putLoaded(key, value, replaceExistingValues, events);
          }
        }
        fire(events);
        if (completionListener != null) {
          completionListener.onCompletion();
        }
      } catch (Exception e) {
        if (completionListener != null) {
          completionListener.onException(e);
        }
      }
    });
  }

  // A loadAll value: stored like a put that bypasses the writer.
  private void putLoaded(K key, V value, boolean replace, List<PendingEvent<K, V>> events) {
    byte[] k = codec.key(key);
    byte[] v = codec.value(value);
    store.compute(k, current -> {
      long now = now();
      if (!live(current, now)) {
        return new Outcome<>(create(key, current, value, v, now, events), null);
      }
      if (!replace) {
        return new Outcome<>(Change.KEEP, null);
      }
      V old = wants(EventType.UPDATED) ? codec.decodeValue(current.value()) : null;
      return new Outcome<>(update(key, current, value, old, v, now, events), null);
    });
  }

  // --------------------------------------------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    requireOpen();
    long start = startTime();
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    boolean stored = putEntry(key, codec.key(key), value, codec.value(value), true, events);
    fire(events);
    if (stored) {
      statistics.puts(1);
    }
    statistics.putTime(start);
  }

  /**
   * Puts one entry; the writer (if {@code write}) sees it first, inside the page's write privilege.
   *
   * @return whether the cache now holds it (a zero creation expiry means it does not)
   */
  private boolean putEntry(K key, byte[] k, V value, byte[] v, boolean write, List<PendingEvent<K, V>> events) {
    return store.compute(k, current -> {
      long now = now();
      boolean live = live(current, now);
      if (write) {
        through.write(key, value);
      }
      Change change = live
          ? update(key, current, value, wants(EventType.UPDATED) ? codec.decodeValue(current.value()) : null, v, now,
              events)
          : create(key, current, value, v, now, events);
      return new Outcome<>(change, change instanceof Change.Put);
    });
  }

  /** Stores {@code v} over the live entry {@code current}: expiry for an update, an UPDATED event. */
  private Change update(K key, StoredEntry current, V value, V old, byte[] v, long now,
      List<PendingEvent<K, V>> events) {
    Long at = expiry.onUpdate(now);
    events.add(PendingEvent.updated(key, value, old));
    return new Change.Put(v, at == null ? current.expiresAt() : at);
  }

  /**
   * Stores {@code v} where no live entry is: an EXPIRED event for an expired one, expiry for a creation, a CREATED
   * event; a zero creation expiry stores nothing (and drops the expired entry).
   */
  private Change create(K key, StoredEntry current, V value, byte[] v, long now, List<PendingEvent<K, V>> events) {
    long at = expiry.onCreation(now);
    if (at <= now) {
      return dropExpired(key, current, events);
    }
    expiredEvent(key, current, events);
    events.add(PendingEvent.created(key, value));
    return new Change.Put(v, at);
  }

  @Override
  public V getAndPut(K key, V value) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    byte[] v = codec.value(value);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    V old = store.compute(k, current -> {
      long now = now();
      through.write(key, value);
      if (live(current, now)) {
        V previous = codec.decodeValue(current.value());
        return new Outcome<>(update(key, current, value, previous, v, now, events), previous);
      }
      return new Outcome<V>(create(key, current, value, v, now, events), null);
    });
    fire(events);
    countGet(old != null);
    statistics.puts(1);
    statistics.getTime(start);
    statistics.putTime(start);
    return old;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireOpen();
    requireNonNull(map, "map");
    long start = startTime();
    // JCache: a null key or value anywhere fails the whole call before anything changes.
    Map<K, V> entries = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      entries.put(codec.checkKey(e.getKey()), codec.checkValue(e.getValue()));
    }
    List<K> toPut = new ArrayList<>(entries.keySet());
    CacheWriterException failure = null;
    if (isWriteThrough() && !entries.isEmpty()) {
      Through.Batch<K> batch = through.writeAll(entries);
      toPut = batch.done();
      failure = batch.failure();
    }
    List<PendingEvent<K, V>> events = new ArrayList<>();
    long stored = 0;
    for (K key : toPut) {
      V value = entries.get(key);
      if (putEntry(key, codec.key(key), value, codec.value(value), false, events)) {
        stored++;
      }
    }
    fire(events);
    statistics.puts(stored);
    statistics.putTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    byte[] v = codec.value(value);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    int result = store.compute(k, current -> {
      long now = now();
      if (live(current, now)) {
        return new Outcome<>(Change.KEEP, 0);
      }
      through.write(key, value);
      Change change = create(key, current, value, v, now, events);
      return new Outcome<>(change, change instanceof Change.Put ? 2 : 1);
    });
    fire(events);
    countGet(result == 0);
    if (result == 2) {
      statistics.puts(1);
    }
    statistics.putTime(start);
    return result != 0;
  }

  @Override
  public boolean remove(K key) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    boolean removed = store.compute(k, current -> {
      through.delete(key);
      return removeAny(key, current, now(), events);
    });
    fire(events);
    if (removed) {
      statistics.removals(1);
    }
    statistics.removeTime(start);
    return removed;
  }

  /** Removes the key's entry: a live one with a REMOVED event (the outcome is true), an expired one with EXPIRED. */
  private Outcome<Boolean> removeAny(K key, StoredEntry current, long now, List<PendingEvent<K, V>> events) {
    if (live(current, now)) {
      removedEvent(key, current, events);
      return new Outcome<>(Change.REMOVE, true);
    }
    return new Outcome<>(dropExpired(key, current, events), false);
  }

  /** The change for a key without a live entry: an expired one is dropped, with an EXPIRED event. */
  private Change dropExpired(K key, StoredEntry current, List<PendingEvent<K, V>> events) {
    expiredEvent(key, current, events);
    return current == null ? Change.KEEP : Change.REMOVE;
  }

  private void removedEvent(K key, StoredEntry removed, List<PendingEvent<K, V>> events) {
    if (wants(EventType.REMOVED)) {
      events.add(PendingEvent.removed(key, codec.decodeValue(removed.value())));
    }
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    codec.checkValue(oldValue);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    int result = store.compute(k, current -> {
      long now = now();
      if (!live(current, now)) {
        return new Outcome<>(dropExpired(key, current, events), 0);
      }
      V value = codec.decodeValue(current.value());
      if (!value.equals(oldValue)) {
        Long at = expiry.onAccess(now);
        return new Outcome<>(at == null ? Change.KEEP : new Change.SetExpiry(at), 1);
      }
      through.delete(key);
      if (wants(EventType.REMOVED)) {
        events.add(PendingEvent.removed(key, value));
      }
      return new Outcome<>(Change.REMOVE, 2);
    });
    fire(events);
    countGet(result != 0);
    if (result == 2) {
      statistics.removals(1);
    }
    statistics.removeTime(start);
    return result == 2;
  }

  @Override
  public V getAndRemove(K key) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    V old = store.compute(k, current -> {
      long now = now();
      through.delete(key);
      if (live(current, now)) {
        V value = codec.decodeValue(current.value());
        if (wants(EventType.REMOVED)) {
          events.add(PendingEvent.removed(key, value));
        }
        return new Outcome<>(Change.REMOVE, value);
      }
      return new Outcome<V>(dropExpired(key, current, events), null);
    });
    fire(events);
    countGet(old != null);
    if (old != null) {
      statistics.removals(1);
    }
    statistics.getTime(start);
    statistics.removeTime(start);
    return old;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireOpen();
    long start = startTime();
    byte[] k = codec.key(key);
    codec.checkValue(oldValue);
    byte[] v = codec.value(newValue);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    int result = store.compute(k, current -> {
      long now = now();
      if (!live(current, now)) {
        return new Outcome<>(dropExpired(key, current, events), 0);
      }
      V value = codec.decodeValue(current.value());
      if (!value.equals(oldValue)) {
        Long at = expiry.onAccess(now);
        return new Outcome<>(at == null ? Change.KEEP : new Change.SetExpiry(at), 1);
      }
      through.write(key, newValue);
      return new Outcome<>(update(key, current, newValue, value, v, now, events), 2);
    });
    fire(events);
    countGet(result != 0);
    if (result == 2) {
      statistics.puts(1);
    }
    statistics.putTime(start);
    return result == 2;
  }

  @Override
  public boolean replace(K key, V value) {
    requireOpen();
    return replaceExisting(key, value, false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireOpen();
    Replaced<V> replaced = replaceExisting(key, value, true);
    return replaced == null ? null : replaced.previous();
  }

  /** What a replace found: the previous value, decoded only when someone needs it. */
  private record Replaced<V>(V previous) {}

  // Null when the key had no live entry, so nothing was replaced.
  private Replaced<V> replaceExisting(K key, V value, boolean returnOld) {
    long start = startTime();
    byte[] k = codec.key(key);
    byte[] v = codec.value(value);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    Replaced<V> replaced = store.compute(k, current -> {
      long now = now();
      if (!live(current, now)) {
        return new Outcome<Replaced<V>>(dropExpired(key, current, events), null);
      }
      through.write(key, value);
      boolean decode = returnOld || wants(EventType.UPDATED);
      V previous = decode ? codec.decodeValue(current.value()) : null;
      return new Outcome<>(update(key, current, value, previous, v, now, events), new Replaced<>(previous));
    });
    fire(events);
    countGet(replaced != null);
    if (replaced != null) {
      statistics.puts(1);
    }
    statistics.getTime(start);
    statistics.putTime(start);
    return replaced;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireOpen();
    requireNonNull(keys, "keys");
    Map<K, byte[]> encoded = encodeKeys(keys);
    removeKeys(encoded);
  }

  @Override
  public void removeAll() {
    requireOpen();
    Map<K, byte[]> encoded = new LinkedHashMap<>();
    Iterator<StoredEntry> it = store.iterator();
    while (it.hasNext()) {
      StoredEntry entry = it.next();
      encoded.put(codec.decodeKey(entry.key()), entry.key());
    }
    removeKeys(encoded);
  }

  private void removeKeys(Map<K, byte[]> encoded) {
    long start = startTime();
    Collection<K> toRemove = encoded.keySet();
    CacheWriterException failure = null;
    if (isWriteThrough() && !encoded.isEmpty()) {
      Through.Batch<K> batch = through.deleteAll(new ArrayList<>(encoded.keySet()));
      toRemove = batch.done();
      failure = batch.failure();
    }
    List<PendingEvent<K, V>> events = new ArrayList<>();
    long removed = 0;
    for (K key : toRemove) {
      boolean gone = store.compute(encoded.get(key), current -> removeAny(key, current, now(), events));
      if (gone) {
        removed++;
      }
    }
    fire(events);
    statistics.removals(removed);
    statistics.removeTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void clear() {
    requireOpen();
    store.clear();
  }

  // ------------------------------------------------------------------------------------------------ processors

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireOpen();
    requireNonNull(entryProcessor, "entryProcessor");
    byte[] k = codec.key(key);
    List<PendingEvent<K, V>> events = new ArrayList<>(1);
    long start = startTime();
    T result = store.compute(k, current -> {
      long now = now();
      boolean live = live(current, now);
      V value = live ? codec.decodeValue(current.value()) : null;
      countGet(live);
      ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, value, isReadThrough() ? through : null);
      T processed;
      try {
        processed = entryProcessor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      Change change = apply(key, current, live, value, entry, now, events);
      return new Outcome<>(change, processed);
    });
    fire(events);
    statistics.getTime(start);
    return result;
  }

  // Turns what a processor did into one change of the page, with the writer, expiry, events and statistics it implies.
  private Change apply(K key, StoredEntry current, boolean live, V oldValue, ProcessorEntry<K, V> entry, long now,
      List<PendingEvent<K, V>> events) {
    switch (entry.operation()) {
      case NONE -> {
        return live || current == null ? Change.KEEP : Change.REMOVE;
      }
      case ACCESS -> {
        Long at = expiry.onAccess(now);
        return at == null ? Change.KEEP : new Change.SetExpiry(at);
      }
      case LOAD, CREATE -> {
        V value = entry.getValue();
        byte[] v = codec.value(value);
        if (entry.operation() == ProcessorEntry.Operation.CREATE) {
          through.write(key, value);
        }
        Change change = create(key, current, value, v, now, events);
        if (change instanceof Change.Put) {
          statistics.puts(1);
        }
        return change;
      }
      case UPDATE -> {
        V value = entry.getValue();
        byte[] v = codec.value(value);
        through.write(key, value);
        statistics.puts(1);
        return update(key, current, value, oldValue, v, now, events);
      }
      case REMOVE -> {
        through.delete(key);
        if (!live) {
          return current == null ? Change.KEEP : Change.REMOVE;
        }
        if (wants(EventType.REMOVED)) {
          events.add(PendingEvent.removed(key, oldValue));
        }
        statistics.removals(1);
        return Change.REMOVE;
      }
      default -> throw new IllegalStateException("unknown operation " + entry.operation());
    }
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor,
      Object... arguments) {
    requireOpen();
    requireNonNull(keys, "keys");
    requireNonNull(entryProcessor, "entryProcessor");
    for (K key : keys) {
      requireNonNull(key, "keys contains a null key");
    }
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, entryProcessor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      } catch (CacheException | ClassCastException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(key, () -> {
          throw wrapped;
        });
      }
    }
    return results;
  }

  /**
   * Removes every entry that is expired now, with EXPIRED events: the background sweep, so expired entries that
   * nobody touches again still leave the pages. A cache whose policy is eternal has nothing to sweep.
   *
   * @return how many entries were removed
   */
  int sweepExpired() {
    if (closed || expiry.policy() instanceof javax.cache.expiry.EternalExpiryPolicy) {
      return 0;
    }
    long now = now();
    List<PendingEvent<K, V>> events = new ArrayList<>();
    int removed = 0;
    Iterator<StoredEntry> it = store.iterator();
    while (it.hasNext() && !closed) {
      StoredEntry entry = it.next();
      if (entry.isExpiredAt(now)) {
        int before = events.size();
        K key = codec.decodeKey(entry.key());
        boolean[] gone = new boolean[1];
        store.compute(entry.key(), current -> {
          if (current == null || !current.isExpiredAt(now)) {
            return new Outcome<>(Change.KEEP, null);
          }
          gone[0] = true;
          expiredEvent(key, current, events);
          return new Outcome<>(Change.REMOVE, null);
        });
        if (gone[0]) {
          removed++;
        }
        if (events.size() > before && events.size() >= 256) {
          fire(events);
          events.clear();
        }
      }
    }
    fire(events);
    return removed;
  }

  // ---------------------------------------------------------------------------------------------- iteration

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireOpen();
    return new EntryIterator(store.iterator());
  }

  /** Walks the store, skipping expired entries; each entry returned counts as an access (a hit). */
  private final class EntryIterator implements Iterator<Entry<K, V>> {
    private final Iterator<StoredEntry> entries;
    private final long now = now();
    private StoredEntry next;
    private K lastKey;

    EntryIterator(Iterator<StoredEntry> entries) {
      this.entries = entries;
    }

    @Override
    public boolean hasNext() {
      requireOpen();
      while (next == null && entries.hasNext()) {
        StoredEntry candidate = entries.next();
        if (!candidate.isExpiredAt(now)) {
          next = candidate;
        }
      }
      return next != null;
    }

    @Override
    public Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      StoredEntry entry = next;
      next = null;
      K key = codec.decodeKey(entry.key());
      V value;
      try {
        value = codec.decodeValue(entry.value());
      } catch (Codec.StaleReferenceException overwritten) {
        // Overwritten or removed since this bucket was walked: report what the key holds now, or skip it.
        StoredEntry now = store.get(entry.key());
        next = now != null && !now.isExpiredAt(this.now) ? now : null;
        return next != null || hasNext() ? next() : noMore();
      }
      Long at = expiry.onAccess(now);
      if (at != null) {
        setExpiry(entry.key(), at, now);
      }
      statistics.hits(1);
      lastKey = key;
      return new QuireCacheEntry<>(key, value);
    }

    private Entry<K, V> noMore() {
      throw new NoSuchElementException();
    }

    @Override
    public void remove() {
      if (lastKey == null) {
        throw new IllegalStateException("next() has not returned an entry to remove");
      }
      K key = lastKey;
      lastKey = null;
      QuireCache.this.remove(key);
    }
  }

  // ------------------------------------------------------------------------------------------ configuration

  @Override
  public synchronized <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    requireNonNull(clazz, "clazz");
    if (clazz.isInstance(configuration)) {
      return clazz.cast(new MutableConfiguration<>(configuration));
    }
    throw new IllegalArgumentException("the configuration of cache '" + name + "' is a "
        + CompleteConfiguration.class.getName() + ", not a " + clazz.getName());
  }

  @Override
  public synchronized void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    requireNonNull(listenerConfiguration, "listenerConfiguration");
    listeners.register(listenerConfiguration);
    configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    subscribeWhileListening();
  }

  @Override
  public synchronized void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
    requireOpen();
    requireNonNull(listenerConfiguration, "listenerConfiguration");
    listeners.deregister(listenerConfiguration);
    configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
    subscribeWhileListening();
  }

  // Other nodes publish this cache's events only while some node listens; called with this cache's lock held.
  private void subscribeWhileListening() {
    if (!listeners.isEmpty() && unsubscribe == null) {
      unsubscribe = bus.subscribe(name, this, this::onRemoteEvents);
    } else if (listeners.isEmpty() && unsubscribe != null) {
      unsubscribe.run();
      unsubscribe = null;
    }
  }

  // Changes made on another node: delivered after they were made there, to every listener here.
  private void onRemoteEvents(List<EventBus.EncodedEvent> encoded) {
    if (closed) {
      return;
    }
    List<PendingEvent<K, V>> events = new ArrayList<>(encoded.size());
    for (EventBus.EncodedEvent e : encoded) {
      K key = codec.decodeKey(e.key());
      V value = e.value() == null ? null : codec.decodeValue(e.value());
      V old = e.oldValue() == null ? null : codec.decodeValue(e.oldValue());
      events.add(new PendingEvent<>(e.type(), key, value, old));
    }
    try {
      listeners.fire(this, events);
    } catch (RuntimeException e) {
      // The operation that caused these events returned long ago, on another node: there is nobody to tell.
      System.getLogger(QuireCache.class.getName()).log(System.Logger.Level.WARNING,
          "a listener of cache '" + name + "' failed on events from another node", e);
    }
  }

  /** Turns statistics on or off, registering or unregistering the statistics MXBean. */
  synchronized void setStatisticsEnabled(boolean enabled) {
    statistics.setEnabled(enabled);
    configuration.setStatisticsEnabled(enabled);
    if (enabled) {
      MBeans.register(MBeans.Kind.STATISTICS, manager.getURI(), name, statistics);
    } else {
      MBeans.unregister(MBeans.Kind.STATISTICS, manager.getURI(), name);
    }
  }

  /** Turns management on or off, registering or unregistering the configuration MXBean. */
  synchronized void setManagementEnabled(boolean enabled) {
    configuration.setManagementEnabled(enabled);
    if (enabled) {
      MBeans.register(MBeans.Kind.CONFIGURATION, manager.getURI(), name, configurationView());
    } else {
      MBeans.unregister(MBeans.Kind.CONFIGURATION, manager.getURI(), name);
    }
  }

  /** This cache's statistics on this node. */
  public CacheStatistics statistics() {
    return statistics;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    MBeans.unregister(MBeans.Kind.STATISTICS, manager.getURI(), name);
    MBeans.unregister(MBeans.Kind.CONFIGURATION, manager.getURI(), name);
    closeQuietly(through.loader());
    closeQuietly(through.writer());
    closeQuietly(expiry.policy());
    synchronized (this) {
      if (unsubscribe != null) {
        unsubscribe.run();
        unsubscribe = null;
      }
    }
    listeners.close();
    onClose.run();
  }

  /** Removes every entry and frees the cache's pages; the cache is closed. */
  void destroy() {
    close();
    store.destroy();
  }

  EntryStore store() {
    return store;
  }

  private static void closeQuietly(Object o) {
    if (o instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        System.getLogger(QuireCache.class.getName())
            .log(System.Logger.Level.WARNING, "closing " + o + " failed", e);
      }
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    requireNonNull(clazz, "clazz");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cache '" + name + "' cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "QuireCache[" + name + "]";
  }

  // ------------------------------------------------------------------------------------------------- helpers

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  private boolean isReadThrough() {
    return configuration.isReadThrough() && through.reads();
  }

  private boolean isWriteThrough() {
    return through.writes();
  }

  private Map<K, byte[]> encodeKeys(Set<? extends K> keys) {
    Map<K, byte[]> encoded = new LinkedHashMap<>();
    for (K key : keys) {
      requireNonNull(key, "keys contains a null key");
      encoded.put(key, codec.key(key));
    }
    return encoded;
  }

  private void countGet(boolean hit) {
    if (hit) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
  }

  private long startTime() {
    return statistics.isEnabled() ? System.nanoTime() : 0L;
  }

  private void fire(List<PendingEvent<K, V>> events) {
    if (events.isEmpty()) {
      return;
    }
    if (bus.hasRemoteSubscribers(name, this)) {
      List<EventBus.EncodedEvent> encoded = new ArrayList<>(events.size());
      for (PendingEvent<K, V> e : events) {
        encoded.add(new EventBus.EncodedEvent(e.type(), codec.key(e.key()), bytesOf(e.value()), bytesOf(e.oldValue())));
      }
      bus.publish(name, this, encoded);
    }
    listeners.fire(this, events);
  }

  private byte[] bytesOf(V value) {
    return value == null ? null : codec.value(value);
  }

  /** Whether events of {@code type} are wanted here or on another node, so old values are worth decoding. */
  private boolean wants(EventType type) {
    return listeners.wants(type) || bus.hasRemoteSubscribers(name, this);
  }

  private static boolean live(StoredEntry entry, long now) {
    return entry != null && !entry.isExpiredAt(now);
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
