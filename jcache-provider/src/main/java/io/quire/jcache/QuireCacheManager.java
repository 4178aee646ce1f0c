package io.quire.jcache;

import static java.util.Objects.requireNonNull;

import io.quire.core.page.Durability;
import io.quire.jcache.config.CacheDescriptor;
import io.quire.jcache.config.DescriptorClasses;
import io.quire.jcache.config.DescriptorException;
import io.quire.jcache.config.ListenerDescriptor;
import io.quire.jcache.config.QuireDescriptor;
import io.quire.jcache.serial.KryoSerializerFactory;
import io.quire.jcache.store.EntryStore;
import io.quire.jcache.store.PagedEntryStore;
import io.quire.core.address.GlobalAddress;
import io.quire.spi.serial.SerializerSettings;
import io.quire.spi.serial.ValueSerializer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryListener;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.spi.CachingProvider;

/**
 * The caches of one (URI, ClassLoader) on one grid node.
 *
 * <p>Rules for descriptor and programmatic caches: caches declared in the descriptor exist from the moment the
 * manager opens (so {@link #getCacheNames()} lists them, and {@link #createCache} of such a name fails with a message
 * naming the file and line that declared it); {@link #getCache(String)} of a name that matches a template creates the
 * cache from the template; any other name must be created with {@link #createCache}. Programmatic caches are volatile
 * and live until they are destroyed or closed, or their manager closes; persistent caches come only from descriptors
 * and are found again after a restart. On a grid with {@linkplain Grid#clusterWideCaches cluster-wide caches} (a
 * cluster over a network) every cache is recorded in the cluster's catalog: {@link #getCache(String)} finds a cache
 * created on another node, {@link #createCache} of a name the cluster knows fails, a cache lives until it is
 * destroyed (closing it, or its manager, leaves it to the other nodes), and {@link #getCacheNames()} lists the
 * cluster's caches.
 *
 * <p>Lock discipline: {@code caches} is a concurrent map; creating, destroying and closing synchronize on this, so a
 * name is never created twice.
 */
public final class QuireCacheManager implements CacheManager {
  /** System property: seconds between background sweeps of expired entries (default 30). */
  public static final String SWEEP_PROPERTY = "quire.expiry.sweep-seconds";

  /** System property: extra allow-list patterns (comma separated) for every cache of a default-configured manager. */
  public static final String ALLOW_PROPERTY = "quire.serializer.allow";

  private final QuireCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final QuireDescriptor descriptor;
  private final Grid grid;
  private final Runnable onClose;
  private final Map<String, QuireCache<?, ?>> caches = new ConcurrentHashMap<>();
  // The range each open cache's store lives in, for the catalog; changed with caches, under this object's lock.
  private final Map<String, GlobalAddress> ranges = new ConcurrentHashMap<>();
  private final List<Consumer<? super Cache<?, ?>>> creationListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService executor;
  private final ScheduledExecutorService sweeper;
  private final Runnable stopHearingOfDestroys;
  private volatile boolean closed;

  QuireCacheManager(QuireCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
      QuireDescriptor descriptor, Grid grid, Runnable onClose) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
    this.descriptor = descriptor;
    this.grid = grid;
    this.onClose = onClose;
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "quire-cache-events-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "quire-expiry-sweep");
      thread.setDaemon(true);
      return thread;
    });
    this.stopHearingOfDestroys = grid.onDestroyed(this::destroyedElsewhere);
    long every = Long.getLong(SWEEP_PROPERTY, 30L);
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.SECONDS);
    try {
      for (CacheDescriptor cache : descriptor.caches().values()) {
        createFromDescriptor(cache);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  /** What this manager's grid node has done so far (shared by every manager on that node). */
  public GridMetrics gridMetrics() {
    requireOpen();
    return grid.metrics();
  }

  /** The grid node this manager's caches live on (tests look at its catalog). */
  Grid grid() {
    return grid;
  }

  /**
   * Whether this manager's grid node holds its pages {@code k} times now (the descriptor's {@code k}, or the in-JVM
   * cluster's). Asks the node's engine, so it may wait for it briefly (it reports unknown after 2 seconds); a single
   * node is always satisfied, with {@link ReplicationStatus#limitedByMembers()} when {@code k} is above 1.
   */
  public ReplicationStatus replicationStatus() {
    requireOpen();
    return grid.replication(descriptor.node().replication());
  }

  /**
   * Calls {@code listener} with every cache this manager opens from now on: created by {@link #createCache}, or from
   * a template on first {@link #getCache(String)}. It runs on the creating thread, under the manager's lock, after the
   * cache is listed: it must not block, and a listener that throws is logged and does not stop the cache.
   *
   * @return closes the subscription
   */
  public AutoCloseable onCacheCreated(Consumer<? super Cache<?, ?>> listener) {
    requireNonNull(listener, "listener");
    creationListeners.add(listener);
    return () -> creationListeners.remove(listener);
  }

  /** The descriptor this manager was configured from (empty for the default URI). */
  public QuireDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public synchronized <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(configuration, "configuration");
    if (caches.containsKey(cacheName)) {
      Optional<CacheDescriptor> declared = Optional.ofNullable(descriptor.caches().get(cacheName));
      throw new CacheException("cache '" + cacheName + "' already exists in " + uri
          + declared.map(d -> " (declared in the descriptor at " + d.location() + ")").orElse(""));
    }
    MutableConfiguration<K, V> copy = copyOf(configuration);
    CacheDescriptor settings = descriptor.cacheOrTemplate(cacheName).orElse(CacheDescriptor.defaults(cacheName));
    return open(cacheName, copy, Durability.VOLATILE, settings.serializerAllow(), Origin.CREATED);
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    QuireCache<?, ?> cache = lookup(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.getConfiguration(CompleteConfiguration.class);
    if (!keyType.equals(configuration.getKeyType())) {
      throw new ClassCastException("cache '" + cacheName + "' has keys of type "
          + configuration.getKeyType().getName() + ", not " + keyType.getName());
    }
    if (!valueType.equals(configuration.getValueType())) {
      throw new ClassCastException("cache '" + cacheName + "' has values of type "
          + configuration.getValueType().getName() + ", not " + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    return (Cache<K, V>) lookup(cacheName);
  }

  // The cache of that name, created from a matching template on first use; null if there is none.
  private QuireCache<?, ?> lookup(String cacheName) {
    QuireCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      return cache;
    }
    synchronized (this) {
      cache = caches.get(cacheName);
      if (cache != null) {
        return cache;
      }
      Optional<CatalogEntry> known = grid.clusterWideCaches() ? grid.catalog().find(cacheName) : Optional.empty();
      if (known.isPresent()) {
        requireOpen();
        return openFromCatalog(known.get());
      }
      if (descriptor.templates().stream().noneMatch(t -> t.matches(cacheName))) {
        return null;
      }
      requireOpen();
      createFromDescriptor(descriptor.cacheOrTemplate(cacheName).orElseThrow());
      return caches.get(cacheName);
    }
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    Set<String> names = new LinkedHashSet<>(caches.keySet());
    if (grid.clusterWideCaches()) {
      names.addAll(grid.catalog().names());
    }
    return Collections.unmodifiableSet(names);
  }

  @Override
  public synchronized void destroyCache(String cacheName) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    QuireCache<?, ?> cache = caches.remove(cacheName);
    GlobalAddress range = ranges.remove(cacheName);
    if (cache != null) {
      // Out of the catalog first, so that no node finds the cache while its pages are being freed.
      grid.catalog().forget(cacheName, range);
      cache.destroy();
      grid.announceDestroyed(cacheName, range);
      return;
    }
    Optional<CatalogEntry> elsewhere = grid.clusterWideCaches() ? grid.catalog().find(cacheName) : Optional.empty();
    if (elsewhere.isPresent()) {
      grid.catalog().forget(cacheName, elsewhere.get().rangeStart());
      try {
        PagedEntryStore.open(grid.memory(), grid.pageSize(), elsewhere.get().rangeStart()).destroy();
      } catch (RuntimeException e) {
        throw new CacheException("cache '" + cacheName + "' left the catalog of " + grid + " but its pages were not "
            + "freed: " + e.getMessage(), e);
      } finally {
        grid.announceDestroyed(cacheName, elsewhere.get().rangeStart());
      }
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    QuireCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    QuireCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  @Override
  public void close() {
    List<QuireCache<?, ?>> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(caches.values());
    }
    RuntimeException failure = null;
    for (QuireCache<?, ?> cache : open) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    caches.clear();
    ranges.clear();
    stopHearingOfDestroys.run();
    sweeper.shutdownNow();
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    onClose.run();
    if (failure != null) {
      throw failure;
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
    throw new IllegalArgumentException("a Quire cache manager cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return "QuireCacheManager[" + uri + " on " + grid + "]";
  }

  // ------------------------------------------------------------------------------------------------- helpers

  /**
   * A cache was destroyed through another manager, here or on another node: the instance this manager holds of it is
   * closed, as JCache closes a destroyed cache (its pages are gone). Runs on the grid's delivery thread, so the close
   * is handed to this manager's executor rather than taking locks there.
   */
  private void destroyedElsewhere(String name, GlobalAddress rangeStart) {
    QuireCache<?, ?> cache = caches.get(name);
    if (cache == null || !rangeStart.equals(ranges.get(name)) || closed) {
      return;
    }
    try {
      executor.execute(cache::close);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The manager is closing, and closes the cache itself.
    }
  }

  /** One background pass over every cache; a failing cache is logged and the others are still swept. */
  void sweep() {
    for (QuireCache<?, ?> cache : caches.values()) {
      try {
        cache.sweepExpired();
      } catch (RuntimeException e) {
        if (!closed && !cache.isClosed()) {
          System.getLogger(QuireCacheManager.class.getName())
              .log(System.Logger.Level.WARNING, "expiry sweep of cache '" + cache.getName() + "' failed", e);
        }
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }

  private void createFromDescriptor(CacheDescriptor cache) {
    MutableConfiguration<Object, Object> configuration = configurationOf(cache);
    open(cache.name(), configuration, cache.durability(), cache.serializerAllow(), Origin.DECLARED);
  }

  // A cache another node created: its types come from the cluster's catalog, the rest from this manager's descriptor
  // (a matching <cache-template>'s allow-list) or the defaults.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private QuireCache<?, ?> openFromCatalog(CatalogEntry entry) {
    MutableConfiguration<Object, Object> configuration = new MutableConfiguration<>();
    configuration.setTypes((Class) typeOf(entry, entry.keyType()), (Class) typeOf(entry, entry.valueType()));
    CacheDescriptor settings = descriptor.cacheOrTemplate(entry.name())
        .orElse(CacheDescriptor.defaults(entry.name()));
    return open(entry.name(), configuration, entry.durability(), settings.serializerAllow(), Origin.FOUND);
  }

  private Class<?> typeOf(CatalogEntry entry, String className) {
    try {
      return Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new CacheException("cache '" + entry.name() + "' of " + grid + " has keys or values of type " + className
          + ", which the class loader of " + uri + " cannot load", e);
    }
  }

  // Opens a cache on its store: the recorded range of a persistent or shared cache, or a new range.
  private <K, V> QuireCache<K, V> open(String name, MutableConfiguration<K, V> configuration, Durability durability,
      List<String> allow, Origin origin) {
    // Declared caches are shared by name between the nodes of a cluster; on a network cluster every cache is.
    boolean shared = grid.clusterWideCaches() || (origin == Origin.DECLARED && !grid.singleNode());
    boolean recorded = durability == Durability.PERSISTENT || shared;
    Optional<CatalogEntry> known = recorded ? grid.catalog().find(name) : Optional.empty();
    EntryStore store;
    GlobalAddress range;
    if (known.isPresent()) {
      requireCompatible(name, known.get(), configuration, origin);
      range = known.get().rangeStart();
      store = PagedEntryStore.open(grid.memory(), grid.pageSize(), range);
    } else {
      PagedEntryStore created = PagedEntryStore.create(grid.memory(), grid.pageSize(), durability);
      range = created.rangeStart();
      store = created;
      if (recorded) {
        CatalogEntry mine = new CatalogEntry(name, range, configuration.getKeyType().getName(),
            configuration.getValueType().getName(), durability);
        CatalogEntry winner;
        try {
          winner = grid.catalog().recordIfAbsent(mine);
        } catch (RuntimeException e) {
          destroyQuietly(name, created);
          throw e;
        }
        if (!winner.equals(mine)) {
          // Another node (or manager) recorded the name between the lookup and now: its range is the cache.
          destroyQuietly(name, created);
          requireCompatible(name, winner, configuration, origin);
          range = winner.rangeStart();
          store = PagedEntryStore.open(grid.memory(), grid.pageSize(), range);
        }
      }
    }
    // Objects live in this JVM's heap: by reference only for a volatile cache on a single node; otherwise by value.
    ReferenceTable references = null;
    if (!configuration.isStoreByValue() && grid.singleNode() && durability == Durability.VOLATILE) {
      references = new ReferenceTable();
      store = new ReferenceEntryStore(store, references);
    }
    Codec<K, V> codec = new Codec<>(serializer(allow), classLoader, configuration.getKeyType(),
        configuration.getValueType(), name, references);
    // On one node nobody can reach a closed volatile cache again; in a cluster other nodes' managers still may.
    boolean freeOnClose = durability == Durability.VOLATILE && !shared;
    QuireCache<K, V>[] self = newArray();
    // The caches shared by name between the nodes of a cluster are the ones whose events travel too.
    EventBus events = shared ? grid.events() : EventBus.NONE;
    QuireCache<K, V> cache = new QuireCache<>(name, this, configuration, store, codec, executor, events,
        () -> release(name, self[0], freeOnClose));
    self[0] = cache;
    caches.put(name, cache);
    ranges.put(name, range);
    for (Consumer<? super Cache<?, ?>> listener : creationListeners) {
      try {
        listener.accept(cache);
      } catch (RuntimeException e) {
        System.getLogger(QuireCacheManager.class.getName())
            .log(System.Logger.Level.WARNING, "a cache creation listener failed on cache '" + name + "'", e);
      }
    }
    return cache;
  }

  /**
   * A cache found in the catalog is the one asked for: {@code createCache} of a name the cluster knows is refused as
   * JCache refuses an existing name, and a declared cache must agree with the recorded types.
   */
  private void requireCompatible(String name, CatalogEntry entry, MutableConfiguration<?, ?> configuration,
      Origin origin) {
    Optional<CacheDescriptor> declaration = Optional.ofNullable(descriptor.caches().get(name));
    if (origin == Origin.CREATED && grid.clusterWideCaches()) {
      throw new CacheException("cache '" + name + "' already exists in " + grid + " (created on another node or by "
          + "another manager); getCache(\"" + name + "\") opens it");
    }
    String object = Object.class.getName();
    boolean untyped = entry.keyType().equals(object) && entry.valueType().equals(object);
    if (!untyped && (!entry.keyType().equals(configuration.getKeyType().getName())
        || !entry.valueType().equals(configuration.getValueType().getName()))) {
      throw new CacheException("cache '" + name + "'"
          + declaration.map(d -> " declared at " + d.location()).orElse("") + " has keys of "
          + configuration.getKeyType().getName() + " and values of " + configuration.getValueType().getName()
          + ", but " + grid + " records it with keys of " + entry.keyType() + " and values of " + entry.valueType());
    }
  }

  private void destroyQuietly(String name, PagedEntryStore store) {
    try {
      store.destroy();
    } catch (RuntimeException e) {
      System.getLogger(QuireCacheManager.class.getName()).log(System.Logger.Level.WARNING,
          "freeing the unused range " + store.rangeStart() + " made for cache '" + name + "' failed", e);
    }
  }

  /** How a cache came to be opened: decides whether it is shared and what a catalog entry for its name means. */
  private enum Origin {
    /** From a {@code <cache>} or {@code <cache-template>} of the descriptor. */
    DECLARED,
    /** By {@link #createCache}. */
    CREATED,
    /** Found in the cluster's catalog by {@code getCache}: created elsewhere. */
    FOUND
  }

  @SuppressWarnings("unchecked")
  private static <K, V> QuireCache<K, V>[] newArray() {
    return (QuireCache<K, V>[]) new QuireCache<?, ?>[1];
  }

  // A closed cache leaves its manager; the pages of a volatile cache nobody can reach again are freed.
  private void release(String name, QuireCache<?, ?> cache, boolean free) {
    synchronized (this) {
      if (caches.remove(name, cache)) {
        ranges.remove(name);
      }
    }
    if (free) {
      try {
        cache.store().destroy();
      } catch (RuntimeException e) {
        // The grid may already be closing; its volatile pages do not outlive it either.
        System.getLogger(QuireCacheManager.class.getName())
            .log(System.Logger.Level.DEBUG, "freeing the pages of closed cache '" + name + "' failed", e);
      }
    }
  }

  private ValueSerializer serializer(List<String> cacheAllow) {
    SerializerSettings settings = SerializerSettings.defaults();
    List<String> allow = new ArrayList<>(cacheAllow);
    String extra = System.getProperty(ALLOW_PROPERTY, "");
    for (String pattern : extra.split(",")) {
      if (!pattern.isBlank()) {
        allow.add(pattern.strip());
      }
    }
    return new KryoSerializerFactory().create(settings.withAllowed(allow.toArray(String[]::new)), classLoader);
  }

  private static <K, V> MutableConfiguration<K, V> copyOf(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return new MutableConfiguration<>(complete);
    }
    MutableConfiguration<K, V> copy = new MutableConfiguration<>();
    copy.setTypes(configuration.getKeyType(), configuration.getValueType());
    copy.setStoreByValue(configuration.isStoreByValue());
    return copy;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private MutableConfiguration<Object, Object> configurationOf(CacheDescriptor cache) {
    MutableConfiguration<Object, Object> configuration = new MutableConfiguration<>();
    Class keyType = DescriptorClasses.resolve(cache.keyType(), classLoader, cache);
    Class valueType = DescriptorClasses.resolve(cache.valueType(), classLoader, cache);
    configuration.setTypes(keyType, valueType);
    configuration.setExpiryPolicyFactory(cache.expiry().factory());
    configuration.setStoreByValue(cache.storeByValue());
    configuration.setStatisticsEnabled(cache.statistics());
    configuration.setManagementEnabled(cache.management());
    configuration.setReadThrough(cache.readThrough());
    configuration.setWriteThrough(cache.writeThrough());
    cache.loaderFactory().ifPresent(f -> configuration.setCacheLoaderFactory(
        (Factory<? extends CacheLoader<Object, Object>>) factory(f, cache)));
    cache.writerFactory().ifPresent(f -> configuration.setCacheWriterFactory(
        (Factory<? extends CacheWriter<? super Object, ? super Object>>) factory(f, cache)));
    for (ListenerDescriptor listener : cache.listeners()) {
      Factory<CacheEntryListener<Object, Object>> factory = (Factory) factory(listener.factory(), listener);
      configuration.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
          factory, null, listener.oldValueRequired(), listener.synchronous()));
    }
    return configuration;
  }

  // A descriptor names a Factory class; it must be loadable and have a public no-argument constructor.
  private Factory<?> factory(String className, io.quire.jcache.config.Locatable where) {
    Class<?> type = DescriptorClasses.resolve(className, classLoader, where);
    if (!Factory.class.isAssignableFrom(type)) {
      throw new DescriptorException(where.location(), "class " + className + " is not a "
          + Factory.class.getName());
    }
    try {
      return (Factory<?>) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new DescriptorException(where.location(), "factory " + className
          + " has no public no-argument constructor");
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new DescriptorException(where.location(), "factory " + className + " cannot be created: " + e);
    }
  }
}
