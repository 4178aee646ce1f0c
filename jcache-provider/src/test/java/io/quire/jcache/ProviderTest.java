package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderTest {
  private final CachingProvider provider = Caching.getCachingProvider();

  @AfterEach
  void closeAll() {
    provider.close();
  }

  @Test
  void cachingFindsQuireThroughTheServiceFile() {
    assertThat(provider).isInstanceOf(QuireCachingProvider.class);
  }

  @Test
  void oneManagerPerUriAndClassLoaderAndANullUriMeansTheDefault() {
    CacheManager a = provider.getCacheManager(null, null, null);
    CacheManager b = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader());
    assertThat(a).isSameAs(b);
    CacheManager other = provider.getCacheManager(URI.create("urn:other"), null);
    assertThat(other).isNotSameAs(a);
    ClassLoader child = new ClassLoader(getClass().getClassLoader()) {};
    assertThat(provider.getCacheManager(null, child)).isNotSameAs(a);
  }

  @Test
  void managersOfTheDefaultUriAndOtherUrisKeepTheirCachesApart() {
    CacheManager a = provider.getCacheManager();
    CacheManager b = provider.getCacheManager(URI.create("urn:other"), null);
    a.createCache("c", new MutableConfiguration<String, String>()).put("k", "from a");
    b.createCache("c", new MutableConfiguration<String, String>()).put("k", "from b");
    assertThat(a.<String, String>getCache("c").get("k")).isEqualTo("from a");
    assertThat(b.<String, String>getCache("c").get("k")).isEqualTo("from b");
  }

  @Test
  void hibernateShutdownThenAFreshManagerWithNoCachesFromBefore() {
    CacheManager manager = provider.getCacheManager();
    assertThat(manager.<String, String>getCache("region")).isNull();
    Cache<String, String> region = manager.createCache("region", new MutableConfiguration<>());
    region.put("k", "v");
    region.close();
    manager.close();
    assertThatThrownBy(() -> region.get("k")).isInstanceOf(IllegalStateException.class);
    CacheManager fresh = provider.getCacheManager();
    assertThat(fresh).isNotSameAs(manager);
    assertThat(fresh.isClosed()).isFalse();
    assertThat(fresh.<String, String>getCache("region")).isNull();
    assertThat(fresh.createCache("region", new MutableConfiguration<String, String>()).get("k")).isNull();
  }

  @Test
  void aSingleNodeReportsItsPagesAsGridMetrics() {
    CacheManager manager = provider.getCacheManager();
    Cache<String, String> cache = manager.createCache("metrics", new MutableConfiguration<>());
    for (int i = 0; i < 200; i++) {
      cache.put("k" + i, "v" + i);
    }
    GridMetrics metrics = manager.unwrap(QuireCacheManager.class).gridMetrics();
    assertThat(metrics.members()).isEqualTo(1);
    assertThat(metrics.ramPages()).isPositive();
    assertThat(metrics.ramBytes()).isPositive();
    assertThat(metrics.messagesSent()).isZero();
  }

  @Test
  void creatingAnExistingCacheFailsAndDestroyingItMakesRoomAgain() {
    CacheManager manager = provider.getCacheManager();
    manager.createCache("c", new MutableConfiguration<String, String>()).put("k", "v");
    assertThatThrownBy(() -> manager.createCache("c", new MutableConfiguration<>()))
        .isInstanceOf(CacheException.class).hasMessageContaining("already exists");
    manager.destroyCache("c");
    assertThat(manager.<String, String>getCache("c")).isNull();
    assertThat(manager.createCache("c", new MutableConfiguration<String, String>()).get("k")).isNull();
  }

  @Test
  void getCacheWithOtherTypesThanConfiguredIsAClassCastException() {
    CacheManager manager = provider.getCacheManager();
    manager.createCache("typed", new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
    assertThat(manager.getCache("typed", String.class, Long.class)).isNotNull();
    assertThatThrownBy(() -> manager.getCache("typed", String.class, String.class))
        .isInstanceOf(ClassCastException.class).hasMessageContaining("java.lang.Long");
  }

  @Test
  void descriptorCachesExistFromTheStartAndPersistentOnesSurviveARestart(@TempDir Path dir) throws Exception {
    Path descriptor = dir.resolve("quire.xml");
    Files.writeString(descriptor, """
        <?xml version="1.0" encoding="UTF-8"?>
        <quire xmlns="urn:io.quire:cache:1.0">
          <node data-directory="%s"/>
          <cache name="kept" key-type="java.lang.String" value-type="java.lang.String" durability="persistent"/>
          <cache name="scratch" key-type="java.lang.String" value-type="java.lang.String"/>
          <cache-template name="regions" match="region.*"/>
        </quire>
        """.formatted(dir.resolve("data")));
    URI uri = descriptor.toUri();
    CacheManager manager = provider.getCacheManager(uri, null);
    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("kept", "scratch");
    manager.getCache("kept", String.class, String.class).put("k", "persisted");
    manager.getCache("scratch", String.class, String.class).put("k", "volatile");
    assertThatThrownBy(() -> manager.createCache("kept", new MutableConfiguration<>()))
        .isInstanceOf(CacheException.class).hasMessageContaining("quire.xml");
    assertThat(manager.getCache("region.orders")).isNotNull();
    manager.close();

    CacheManager reopened = provider.getCacheManager(uri, null);
    assertThat(reopened.getCache("kept", String.class, String.class).get("k")).isEqualTo("persisted");
    assertThat(reopened.getCache("scratch", String.class, String.class).get("k")).isNull();
  }
}
