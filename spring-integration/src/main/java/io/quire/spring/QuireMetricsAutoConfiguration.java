package io.quire.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import javax.cache.CacheManager;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Binds the grid node's meters ({@link QuireGridMeters}) when Micrometer is present and the manager is Quire's, and
 * Boot's cache meters to caches opened after startup ({@link QuireCacheMeters}) when Boot's cache metrics are on.
 */
@AutoConfiguration(after = {QuireAutoConfiguration.class, CacheAutoConfiguration.class},
    afterName = "org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration")
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(CacheManager.class)
public class QuireMetricsAutoConfiguration {

  /** The grid's meters; none are bound when the application's JCache manager is not Quire's. */
  @Bean
  @ConditionalOnMissingBean(QuireGridMeters.class)
  public QuireGridMeters quireGridMeters(CacheManager manager) {
    return new QuireGridMeters(manager);
  }

  /** Cache meters for caches opened after startup, beside Boot's registrar (which binds those open at startup). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(CacheMetricsRegistrar.class)
  @ConditionalOnBean(CacheMetricsRegistrar.class)
  static class LaterCaches {
    private static final String SUFFIX = "cacheManager";

    @Bean
    @ConditionalOnMissingBean(QuireCacheMeters.class)
    QuireCacheMeters quireCacheMeters(CacheManager manager, CacheMetricsRegistrar registrar,
        ListableBeanFactory beans) {
      return new QuireCacheMeters(manager, registrar, springManagerName(manager, beans));
    }

    // The name Boot's registrar tags this manager's caches with: the Spring CacheManager bean that wraps it, less a
    // "cacheManager" suffix, as in Boot's CacheMetricsRegistrarConfiguration; "quire" when no Spring manager wraps it.
    private static String springManagerName(CacheManager manager, ListableBeanFactory beans) {
      for (var entry : beans.getBeansOfType(JCacheCacheManager.class, false, false).entrySet()) {
        if (entry.getValue().getCacheManager() == manager) {
          String name = entry.getKey();
          return name.length() > SUFFIX.length() && name.toLowerCase(java.util.Locale.ROOT)
              .endsWith(SUFFIX.toLowerCase(java.util.Locale.ROOT)) ? name.substring(0, name.length() - SUFFIX.length())
              : name;
        }
      }
      return "quire";
    }
  }
}
