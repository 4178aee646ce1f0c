package io.quire.spring;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.StreamSupport;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;

/**
 * Creates the named caches that the manager does not have yet (a descriptor's {@code <cache>} wins), as
 * {@code createCache} does: volatile, with the serializer allow-list of a matching {@code <cache-template>}.
 */
public final class QuireCacheNamesCustomizer implements JCacheManagerCustomizer {
  private final List<String> cacheNames;
  private final boolean statistics;

  /**
   * @param cacheNames the caches to create
   * @param statistics whether they collect JCache statistics
   */
  public QuireCacheNamesCustomizer(List<String> cacheNames, boolean statistics) {
    this.cacheNames = List.copyOf(requireNonNull(cacheNames, "cacheNames"));
    this.statistics = statistics;
  }

  @Override
  public void customize(CacheManager cacheManager) {
    for (String name : cacheNames) {
      boolean exists = StreamSupport.stream(cacheManager.getCacheNames().spliterator(), false)
          .anyMatch(name::equals);
      if (!exists) {
        cacheManager.createCache(name, new MutableConfiguration<>().setStatisticsEnabled(statistics));
      }
    }
  }
}
