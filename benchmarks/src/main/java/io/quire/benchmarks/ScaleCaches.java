package io.quire.benchmarks;

import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import io.quire.jcache.GridMetrics;
import io.quire.jcache.QuireCacheManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.ehcache.config.CacheConfiguration;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.impl.config.copy.DefaultCopierConfiguration;
import org.ehcache.impl.config.persistence.CacheManagerPersistenceConfiguration;
import org.ehcache.impl.copy.SerializingCopier;
import org.ehcache.jsr107.EhcacheCachingProvider;

/**
 * The caches of the scale benchmarks ({@link LargerThanRamBench}, {@link GrowthBench}, {@link HeapPerEntry}): one
 * provider's manager and one {@code Cache<Long, byte[]>}, opened the same way for a JMH trial and for the heap
 * measurement, and closed with everything it created (a Hazelcast member, temporary directories).
 *
 * <p>Quire is configured through a descriptor written to a temporary directory and opened with
 * {@code getCacheManager(file URI, loader)}: the node's {@code ram-budget} sizes its RAM tier, its data directory sits
 * in the same temporary directory, and a template gives caches named {@code persistent*} {@code
 * durability="persistent"} (write-through: a journal append and fsync per write). Ehcache's disk tier is configured in
 * code through its own {@code Configuration}, handed to its JSR-107 provider.
 */
final class ScaleCaches implements AutoCloseable {
  /** The cache name of a volatile cache (Quire's default durability, Ehcache's non-persistent disk tier). */
  static final String VOLATILE = "volatile";
  /** A name matching Quire's {@code persistent*} template (write-through); for Ehcache a persistent disk tier. */
  static final String PERSISTENT = "persistent";

  final String provider;
  final Cache<Long, byte[]> cache;
  private final CachingProvider cachingProvider;
  private final CacheManager manager;
  private final HazelcastMember hazelcast;
  private final Path dir;

  private ScaleCaches(String provider, CachingProvider cachingProvider, CacheManager manager,
      HazelcastMember hazelcast, Path dir, Cache<Long, byte[]> cache) {
    this.provider = provider;
    this.cachingProvider = cachingProvider;
    this.manager = manager;
    this.hazelcast = hazelcast;
    this.dir = dir;
    this.cache = cache;
  }

  /**
   * Everything on the heap, nothing bounded below the data set: Quire with a RAM budget of {@code quireRamBudget}
   * (a descriptor size such as {@code 1GiB}), Ehcache, Caffeine's adapter and Hazelcast from a plain
   * {@link MutableConfiguration} (store-by-value, eternal), except that Hazelcast's cache gets an entry-count limit
   * of {@link Integer#MAX_VALUE}: its JCache default is 10,000 entries, past which it evicts.
   */
  static ScaleCaches onHeap(String provider, String quireRamBudget) {
    MutableConfiguration<Long, byte[]> plain = new MutableConfiguration<Long, byte[]>()
        .setTypes(Long.class, byte[].class);
    switch (provider) {
      case "quire": {
        Path dir = TempDirs.create("scale-quire");
        return quire(dir, quireRamBudget, VOLATILE, plain);
      }
      case "hazelcast": {
        HazelcastMember member = HazelcastMember.start();
        CachingProvider cp = Caching.getCachingProvider(JCacheBench.providerClass(provider));
        CacheManager manager = cp.getCacheManager(cp.getDefaultURI(), ScaleCaches.class.getClassLoader(),
            member.managerProperties());
        CacheConfig<Long, byte[]> config = new CacheConfig<Long, byte[]>(plain);
        config.setEvictionConfig(new EvictionConfig().setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
            .setSize(Integer.MAX_VALUE).setEvictionPolicy(EvictionPolicy.LRU));
        return new ScaleCaches(provider, cp, manager, member, null, manager.createCache(VOLATILE, config));
      }
      case "ehcache":
      case "caffeine": {
        CachingProvider cp = Caching.getCachingProvider(JCacheBench.providerClass(provider));
        CacheManager manager = cp.getCacheManager(cp.getDefaultURI(), ScaleCaches.class.getClassLoader());
        return new ScaleCaches(provider, cp, manager, null, null, manager.createCache(VOLATILE, plain));
      }
      default:
        throw new IllegalArgumentException("unknown provider " + provider);
    }
  }

  /**
   * A RAM tier that holds {@code ramBytes} of a larger data set, the rest on each provider's disk tier: Quire with
   * {@code ram-budget} = {@code ramBytes}; Ehcache with a heap tier of {@code heapEntries} entries (store-by-value:
   * values are copied through serialisation, as for a JSR-107 cache) over a disk tier of {@code diskMiB}, persistent
   * (kept across restarts) for the {@code persistent} cache name.
   */
  static ScaleCaches withDisk(String provider, String name, long ramBytes, long heapEntries, long diskMiB) {
    MutableConfiguration<Long, byte[]> plain = new MutableConfiguration<Long, byte[]>()
        .setTypes(Long.class, byte[].class);
    Path dir = TempDirs.create("scale-" + provider);
    switch (provider) {
      case "quire":
        return quire(dir, ramBytes + "B", name, plain);
      case "ehcache": {
        boolean persistent = name.startsWith(PERSISTENT);
        CacheConfiguration<Long, byte[]> config = CacheConfigurationBuilder
            .newCacheConfigurationBuilder(Long.class, byte[].class, ResourcePoolsBuilder.newResourcePoolsBuilder()
                .heap(heapEntries, EntryUnit.ENTRIES).disk(diskMiB, MemoryUnit.MB, persistent))
            .withService(new DefaultCopierConfiguration<>(SerializingCopier.<byte[]>asCopierClass(),
                DefaultCopierConfiguration.Type.VALUE))
            .build();
        org.ehcache.config.Configuration managerConfig = ConfigurationBuilder.newConfigurationBuilder()
            .addService(new CacheManagerPersistenceConfiguration(dir.resolve("ehcache").toFile()))
            .addCache(name, config)
            .build();
        EhcacheCachingProvider cp = (EhcacheCachingProvider) Caching.getCachingProvider(
            JCacheBench.providerClass(provider));
        CacheManager manager = cp.getCacheManager(dir.toUri(), managerConfig);
        return new ScaleCaches(provider, cp, manager, null, dir, manager.getCache(name, Long.class, byte[].class));
      }
      default:
        TempDirs.delete(dir);
        throw new IllegalArgumentException("no disk-tier configuration for provider " + provider);
    }
  }

  private static ScaleCaches quire(Path dir, String ramBudget, String name,
      MutableConfiguration<Long, byte[]> config) {
    Path descriptor = dir.resolve("quire.xml");
    String xml = """
        <quire xmlns="urn:io.quire:cache:1.0">
          <node name="bench" ram-budget="%s" data-directory="%s"/>
          <cache-template name="persistent" match="%s*" durability="persistent"/>
        </quire>
        """.formatted(ramBudget, dir.resolve("node"), PERSISTENT);
    try {
      Files.writeString(descriptor, xml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CachingProvider cp = Caching.getCachingProvider(JCacheBench.providerClass("quire"));
    URI uri = descriptor.toUri();
    CacheManager manager = cp.getCacheManager(uri, ScaleCaches.class.getClassLoader());
    return new ScaleCaches("quire", cp, manager, null, dir, manager.createCache(name, config));
  }

  /**
   * Puts {@code count} entries, keys {@code 0..count-1}, value {@code value(i)}, through {@code putAll} in batches
   * of 1000 (one call per batch, as a bulk load would); returns the milliseconds it took.
   */
  long preload(int count, IntFunction<byte[]> value) {
    long start = System.nanoTime();
    Map<Long, byte[]> batch = new HashMap<>();
    for (int i = 0; i < count; i++) {
      batch.put((long) i, value.apply(i));
      if (batch.size() == 1000 || i == count - 1) {
        cache.putAll(batch);
        batch = new HashMap<>();
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Reads back every {@code stride}-th key and fails if one is missing or wrong: a provider that evicted part of
   * the data set would otherwise measure misses.
   */
  void check(int count, int stride, IntFunction<byte[]> value) {
    for (int i = 0; i < count; i += stride) {
      byte[] got = cache.get((long) i);
      byte[] want = value.apply(i);
      if (got == null || got.length != want.length || got[1] != want[1]
          || got[got.length - 1] != want[want.length - 1]) {
        throw new IllegalStateException(provider + ": key " + i + " is missing or wrong after the preload");
      }
    }
  }

  /** Quire's node counters (RAM and disk tiers, page-ins and -outs); null for the other providers. */
  GridMetrics quireMetrics() {
    return provider.equals("quire") ? manager.unwrap(QuireCacheManager.class).gridMetrics() : null;
  }

  /** Bytes in this cache's temporary directory (Quire's node files, Ehcache's disk tier); 0 without one. */
  long bytesOnDisk() {
    if (dir == null) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a file removed while we walk (a rotated journal) holds nothing any more
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      // No destroyCache: its temporary directory is deleted below anyway, and destroying a persistent Quire cache
      // frees every value range with an fsync each (minutes for 10^5 out-of-line values).
      manager.close();
      cachingProvider.close();
    } finally {
      if (hazelcast != null) {
        hazelcast.shutdown();
      }
      TempDirs.delete(dir);
    }
  }

  /** A value of {@code bytes} random bytes seeded by {@code seed}, not all zero. */
  static byte[] value(int bytes, int seed) {
    byte[] value = new byte[bytes];
    new Random(seed).nextBytes(value);
    value[0] = 1;
    return value;
  }

  /**
   * {@code count} keys drawn uniformly from {@code 0..keys-1}, each a fresh {@code Long} (callers never hold the
   * stored key instance); {@code count} a power of two so callers can mask the index.
   */
  static Long[] uniformKeys(int keys, int count, long seed) {
    if (Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count must be a power of two: " + count);
    }
    Random random = new Random(seed);
    Long[] out = new Long[count];
    for (int i = 0; i < count; i++) {
      out[i] = Long.valueOf(random.nextInt(keys) + 0L);
    }
    return out;
  }
}
