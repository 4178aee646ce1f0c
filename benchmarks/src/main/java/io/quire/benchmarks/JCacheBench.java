package io.quire.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.configuration.OptionalFeature;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import javax.cache.spi.CachingProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Quire beside Caffeine's JCache adapter, Ehcache 3 (heap) and an embedded Hazelcast member (its own JCache provider;
 * one member alone on 127.0.0.1, see {@link HazelcastMember}), through nothing but the {@code javax.cache} API, in the
 * same run. All four providers are on the classpath, so each is named by its {@code CachingProvider} class; each gives
 * a default-URI manager (Hazelcast's: on the member started for it) and caches made from a plain
 * {@link MutableConfiguration} (store-by-value, eternal, no statistics, no listeners), each preloaded with the same
 * {@value #KEYS} keys.
 *
 * <p>The {@code provider} parameter picks the provider, so every benchmark method runs once per provider and
 * run.sh reports Quire's speed as a multiple of each peer's (peer ns/op divided by Quire ns/op).
 *
 * <p>{@code getItemByReference} uses a store-by-reference cache instead ({@link ByReference}): only the providers
 * that support it ({@link OptionalFeature#STORE_BY_REFERENCE}; not Hazelcast), so it has a {@code provider}
 * parameter of its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class JCacheBench {
  static final int KEYS = 4096;
  static final int MASK = KEYS - 1;
  static final int VALUE_BYTES = 100;
  /** Distinct values that puts cycle through, so a put stores something other than what is there. */
  static final int PUT_VALUES = 16;

  /** Quire's default managers add these to every cache's Kryo allow-list (see QuireCacheManager.ALLOW_PROPERTY). */
  static final String ALLOW_PROPERTY = "quire.serializer.allow";
  static final String ALLOW_BENCHMARK_CLASSES = "io.quire.benchmarks.*";

  /** The CachingProvider class of each {@code provider} parameter value. */
  static String providerClass(String provider) {
    return switch (provider) {
      case "quire" -> "io.quire.jcache.QuireCachingProvider";
      case "caffeine" -> "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";
      case "ehcache" -> "org.ehcache.jsr107.EhcacheCachingProvider";
      case "hazelcast" -> "com.hazelcast.cache.HazelcastCachingProvider";
      default -> throw new IllegalArgumentException("unknown provider " + provider);
    };
  }

  /** One provider's manager and three preloaded caches: 100-byte arrays, {@link Item}s, and Integer counters. */
  @State(Scope.Benchmark)
  public static class Caches {
    @Param({"quire", "caffeine", "ehcache", "hazelcast"})
    String provider;

    /** Only for {@code hazelcast}: the member its manager runs on, started before and shut down after it. */
    HazelcastMember hazelcast;
    CachingProvider cachingProvider;
    CacheManager manager;
    Cache<String, byte[]> bytes;
    Cache<String, Item> items;
    Cache<String, Integer> counters;
    /** The keys in a shuffled order, each a fresh copy of the stored key (callers never hold the stored instance). */
    String[] reads;
    byte[][] byteValues;
    Item[] itemValues;

    @Setup(Level.Trial)
    public void setUp() {
      if (System.getProperty(ALLOW_PROPERTY) == null) {
        System.setProperty(ALLOW_PROPERTY, ALLOW_BENCHMARK_CLASSES); // read as each Quire cache is created
      }
      if (provider.equals("hazelcast")) {
        hazelcast = HazelcastMember.start(); // sets the provider type that Hazelcast's provider reads when created
      }
      cachingProvider = Caching.getCachingProvider(providerClass(provider));
      manager = hazelcast == null
          ? cachingProvider.getCacheManager(cachingProvider.getDefaultURI(), JCacheBench.class.getClassLoader())
          : cachingProvider.getCacheManager(cachingProvider.getDefaultURI(), JCacheBench.class.getClassLoader(),
              hazelcast.managerProperties());
      bytes = manager.createCache("bytes", new MutableConfiguration<String, byte[]>()
          .setTypes(String.class, byte[].class));
      items = manager.createCache("items", new MutableConfiguration<String, Item>()
          .setTypes(String.class, Item.class));
      counters = manager.createCache("counters", new MutableConfiguration<String, Integer>()
          .setTypes(String.class, Integer.class));

      String[] keys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = key(i);
        bytes.put(keys[i], bytesValue(i));
        items.put(keys[i], item(i));
        counters.put(keys[i], 0);
      }
      reads = shuffledCopies(keys, 42);
      byteValues = new byte[PUT_VALUES][];
      itemValues = new Item[PUT_VALUES];
      for (int i = 0; i < PUT_VALUES; i++) {
        byteValues[i] = bytesValue(KEYS + i);
        itemValues[i] = item(KEYS + i);
      }
      check();
      if (hazelcast != null && hazelcast.clusterSize() != 1) {
        throw new IllegalStateException("the Hazelcast member joined " + hazelcast.clusterSize() + " members");
      }
    }

    /** Every benchmark measures hits: a provider that lost an entry (or copies wrongly) fails the trial here. */
    private void check() {
      for (int i = 0; i < KEYS; i++) {
        String key = key(i);
        byte[] b = bytes.get(key);
        if (b == null || b.length != VALUE_BYTES || b[1] != bytesValue(i)[1]) {
          throw new IllegalStateException(provider + ": wrong byte[] under " + key);
        }
        if (!item(i).equals(items.get(key))) {
          throw new IllegalStateException(provider + ": wrong item under " + key + ": " + items.get(key));
        }
        if (!Integer.valueOf(0).equals(counters.get(key))) {
          throw new IllegalStateException(provider + ": wrong counter under " + key);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      System.out.println();
      System.out.println(provider + ": " + cachingProvider.getClass().getName() + ", counter of the first read key: "
          + counters.get(reads[0]));
      for (String name : new String[] {"bytes", "items", "counters"}) {
        manager.destroyCache(name);
      }
      manager.close();
      cachingProvider.close();
      if (hazelcast != null) {
        hazelcast.shutdown();
      }
    }
  }

  /** One provider's default manager with a store-by-reference {@link Item} cache, preloaded like {@link Caches}. */
  @State(Scope.Benchmark)
  public static class ByReference {
    @Param({"quire", "caffeine", "ehcache"})
    String provider;

    CachingProvider cachingProvider;
    CacheManager manager;
    Cache<String, Item> items;
    String[] reads;

    @Setup(Level.Trial)
    public void setUp() {
      cachingProvider = Caching.getCachingProvider(providerClass(provider));
      if (!cachingProvider.isSupported(OptionalFeature.STORE_BY_REFERENCE)) {
        throw new IllegalStateException(provider + " does not support store-by-reference");
      }
      manager = cachingProvider.getCacheManager(cachingProvider.getDefaultURI(), JCacheBench.class.getClassLoader());
      items = manager.createCache("items-by-reference", new MutableConfiguration<String, Item>()
          .setTypes(String.class, Item.class).setStoreByValue(false));
      String[] keys = new String[KEYS];
      Item[] stored = new Item[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = key(i);
        stored[i] = item(i);
        items.put(keys[i], stored[i]);
      }
      reads = shuffledCopies(keys, 42);
      for (int i = 0; i < KEYS; i++) {
        if (items.get(keys[i]) != stored[i]) {
          throw new IllegalStateException(provider + ": store-by-reference handed out another instance for "
              + keys[i]);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      manager.destroyCache("items-by-reference");
      manager.close();
      cachingProvider.close();
    }
  }

  static String key(int i) {
    return String.format("key-%05d", i);
  }

  /** 100 bytes, not all zero. */
  static byte[] bytesValue(int seed) {
    byte[] value = new byte[VALUE_BYTES];
    new Random(seed).nextBytes(value);
    value[0] = 1;
    return value;
  }

  static Item item(int i) {
    return new Item(i, "item-" + i, i % 100, i * 0.25);
  }

  /** The keys in a random order, each a new String equal to its key. */
  static String[] shuffledCopies(String[] keys, long seed) {
    String[] out = keys.clone();
    Random random = new Random(seed);
    for (int i = out.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = new String(out[i]);
    }
    return out;
  }

  /** Per-thread position in the shuffled order; each thread starts at a different place. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    int index = THREADS.getAndIncrement() * (KEYS / 2 + 17);
    int op;

    int next() {
      return index++ & MASK;
    }

    /** True on one call in ten: the put of the 90/10 mix. */
    boolean putTurn() {
      if (++op == 10) {
        op = 0;
        return true;
      }
      return false;
    }
  }

  /** Adds one to the counter and returns the new count, as an atomic increment-and-get. */
  static final class Increment implements EntryProcessor<String, Integer, Integer> {
    static final Increment INSTANCE = new Increment();

    @Override
    public Integer process(MutableEntry<String, Integer> entry, Object... arguments) {
      Integer next = entry.getValue() + 1;
      entry.setValue(next);
      return next;
    }
  }

  @Benchmark
  public byte[] getBytes(Caches c, Cursor cursor) {
    return c.bytes.get(c.reads[cursor.next()]);
  }

  @Benchmark
  public Item getItem(Caches c, Cursor cursor) {
    return c.items.get(c.reads[cursor.next()]);
  }

  @Benchmark
  public int putBytes(Caches c, Cursor cursor) {
    int i = cursor.next();
    c.bytes.put(c.reads[i], c.byteValues[i & (PUT_VALUES - 1)]);
    return i;
  }

  @Benchmark
  public int putItem(Caches c, Cursor cursor) {
    int i = cursor.next();
    c.items.put(c.reads[i], c.itemValues[i & (PUT_VALUES - 1)]);
    return i;
  }

  /** {@code getAndPut} over an existing key: the old value comes back (a copy, store-by-value). */
  @Benchmark
  public byte[] getAndPutBytes(Caches c, Cursor cursor) {
    int i = cursor.next();
    return c.bytes.getAndPut(c.reads[i], c.byteValues[i & (PUT_VALUES - 1)]);
  }

  /** {@code replace} of an existing key: always replaces. */
  @Benchmark
  public boolean replaceBytes(Caches c, Cursor cursor) {
    int i = cursor.next();
    return c.bytes.replace(c.reads[i], c.byteValues[i & (PUT_VALUES - 1)]);
  }

  /** {@code get} hit of an {@link Item} from a store-by-reference cache: no copy at all. */
  @Benchmark
  public Item getItemByReference(ByReference c, Cursor cursor) {
    return c.items.get(c.reads[cursor.next()]);
  }

  @Benchmark
  public Integer invokeIncrement(Caches c, Cursor cursor) {
    return c.counters.invoke(c.reads[cursor.next()], Increment.INSTANCE);
  }

  /** Nine gets to one put of 100-byte arrays, two threads on the same cache; ns/op is per thread. */
  @Benchmark
  @Threads(2)
  public byte[] mixBytes90Get10Put(Caches c, Cursor cursor) {
    int i = cursor.next();
    if (cursor.putTurn()) {
      c.bytes.put(c.reads[i], c.byteValues[i & (PUT_VALUES - 1)]);
      return null;
    }
    return c.bytes.get(c.reads[i]);
  }
}
