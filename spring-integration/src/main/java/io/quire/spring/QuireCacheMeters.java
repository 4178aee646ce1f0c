package io.quire.spring;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Tag;
import io.quire.jcache.QuireCacheManager;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.cache.metrics.CacheMetricsRegistrar;
import org.springframework.cache.jcache.JCacheCache;

/**
 * Boot's cache meters ({@code cache.gets}, {@code cache.puts}, ...) for every cache of a Quire manager, including
 * those opened after startup: from a template on first {@code getCache} (Spring caches made on first use, Hibernate
 * regions) or by {@code createCache}. Boot binds only the caches its Spring {@code CacheManager} lists at startup;
 * this binds the rest, with the same tags ({@code cache}, {@code name}, {@code cache.manager}), through Boot's
 * {@link CacheMetricsRegistrar}, so a cache Boot bound too keeps one set of meters.
 *
 * <p>Once the context's singletons exist it subscribes to {@link QuireCacheManager#onCacheCreated} and binds the
 * caches open then; it unsubscribes when the context closes (a manager may outlive the context).
 */
public class QuireCacheMeters implements SmartInitializingSingleton, DisposableBean {
  private final QuireCacheManager manager;
  private final CacheMetricsRegistrar registrar;
  private final Tag managerTag;
  private volatile AutoCloseable subscription;

  /**
   * @param manager the application's JCache manager; binds nothing unless it is Quire's
   * @param registrar Boot's registrar, which holds the meter registry and the binder providers
   * @param springCacheManagerName the {@code cache.manager} tag Boot gives this manager's caches
   */
  public QuireCacheMeters(CacheManager manager, CacheMetricsRegistrar registrar, String springCacheManagerName) {
    this.manager = manager instanceof QuireCacheManager quire ? quire : null;
    this.registrar = requireNonNull(registrar, "registrar");
    this.managerTag = Tag.of("cache.manager", requireNonNull(springCacheManagerName, "springCacheManagerName"));
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (manager == null || manager.isClosed()) {
      return;
    }
    // Subscribe first, then bind what is open: a cache opened in between is bound twice, which the registry ignores.
    subscription = manager.onCacheCreated(this::bind);
    for (String name : manager.getCacheNames()) {
      Cache<Object, Object> cache = manager.getCache(name);
      if (cache != null) {
        bind(cache);
      }
    }
  }

  @SuppressWarnings("unchecked") // Spring's JCacheCache takes a Cache<Object, Object>; it only reads and writes through it
  private void bind(Cache<?, ?> cache) {
    registrar.bindCacheToRegistry(new JCacheCache((Cache<Object, Object>) cache), managerTag);
  }

  @Override
  public void destroy() throws Exception {
    AutoCloseable current = subscription;
    if (current != null) {
      subscription = null;
      current.close();
    }
  }
}
