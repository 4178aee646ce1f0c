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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * and are found again after a restart.
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
  private final ExecutorService executor;
  private final ScheduledExecutorService sweeper;
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
    return open(cacheName, copy, Durability.VOLATILE, settings.serializerAllow(), false);
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
      if (cache != null || descriptor.templates().stream().noneMatch(t -> t.matches(cacheName))) {
        return cache;
      }
      requireOpen();
      createFromDescriptor(descriptor.cacheOrTemplate(cacheName).orElseThrow());
      return caches.get(cacheName);
    }
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public synchronized void destroyCache(String cacheName) {
    requireOpen();
    requireNonNull(cacheName, "cacheName");
    QuireCache<?, ?> cache = caches.remove(cacheName);
    if (cache != null) {
      cache.destroy();
      grid.catalog().forget(cacheName);
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
    open(cache.name(), configuration, cache.durability(), cache.serializerAllow(), true);
  }

  // Opens a cache on its store: the recorded range of a persistent cache, or a new range.
  private <K, V> QuireCache<K, V> open(String name, MutableConfiguration<K, V> configuration, Durability durability,
      List<String> allow, boolean declared) {
    EntryStore store;
    // Persistent caches are found again after a restart; in a cluster, declared caches are shared by name too.
    boolean recorded = durability == Durability.PERSISTENT || (declared && !grid.singleNode());
    Optional<GlobalAddress> known = recorded ? grid.catalog().find(name) : Optional.empty();
    if (known.isPresent()) {
      store = PagedEntryStore.open(grid.memory(), grid.pageSize(), known.get());
    } else {
      PagedEntryStore created = PagedEntryStore.create(grid.memory(), grid.pageSize(), durability);
      if (recorded) {
        grid.catalog().record(name, created.rangeStart());
      }
      store = created;
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
    boolean freeOnClose = durability == Durability.VOLATILE && !(declared && !grid.singleNode());
    QuireCache<K, V>[] self = newArray();
    // Declared caches are the ones shared by name between the nodes of a cluster, so their events travel too.
    EventBus events = declared && !grid.singleNode() ? grid.events() : EventBus.NONE;
    QuireCache<K, V> cache = new QuireCache<>(name, this, configuration, store, codec, executor, events,
        () -> release(name, self[0], freeOnClose));
    self[0] = cache;
    caches.put(name, cache);
    return cache;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> QuireCache<K, V>[] newArray() {
    return (QuireCache<K, V>[]) new QuireCache<?, ?>[1];
  }

  // A closed cache leaves its manager; the pages of a volatile cache nobody can reach again are freed.
  private void release(String name, QuireCache<?, ?> cache, boolean free) {
    caches.remove(name, cache);
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
