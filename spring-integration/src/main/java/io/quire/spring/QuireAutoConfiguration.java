package io.quire.spring;

import io.quire.jcache.QuireCachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Quire as the application's JCache {@link CacheManager}, before Boot's cache auto-configuration so that Boot wraps
 * it in its Spring {@code JCacheCacheManager} (no {@code spring.cache.type} needed) and Hibernate can be handed the
 * same instance ({@link QuireHibernateAutoConfiguration}).
 *
 * <p>The descriptor is chosen as {@link QuireProperties} says. A {@code classpath:} location is passed to the
 * provider as a {@code classpath:} URI, which it resolves with the application's class loader, also inside a packaged
 * jar. Then every {@link JCacheManagerCustomizer} runs, among them {@link #quireCacheNamesCustomizer}, which creates
 * the caches of {@code quire.cache-names} (and of Boot's {@code spring.cache.cache-names}).
 */
@AutoConfiguration(before = CacheAutoConfiguration.class)
@ConditionalOnClass({Caching.class, QuireCachingProvider.class})
@EnableConfigurationProperties(QuireProperties.class)
public class QuireAutoConfiguration implements BeanClassLoaderAware {
  /** Boot's property naming a JCache descriptor; honoured when {@code quire.config} is not set. */
  static final String BOOT_CONFIG_PROPERTY = "spring.cache.jcache.config";

  private ClassLoader classLoader;

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /** The Quire manager for the chosen descriptor, customised by every {@link JCacheManagerCustomizer}. */
  @Bean
  @ConditionalOnMissingBean
  public CacheManager quireCacheManager(QuireProperties properties, Environment environment,
      ResourceLoader resourceLoader, ObjectProvider<JCacheManagerCustomizer> customizers) {
    URI uri = descriptorUri(properties, environment, resourceLoader);
    CacheManager manager = Caching.getCachingProvider(QuireCachingProvider.class.getName(), classLoader)
        .getCacheManager(uri, classLoader);
    try {
      customizers.orderedStream().forEach(customizer -> customizer.customize(manager));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return manager;
  }

  /** Creates the caches named by {@code quire.cache-names} and {@code spring.cache.cache-names}. */
  @Bean
  public JCacheManagerCustomizer quireCacheNamesCustomizer(QuireProperties properties, Environment environment) {
    Set<String> names = new LinkedHashSet<>(properties.getCacheNames());
    names.addAll(Binder.get(environment).bind("spring.cache.cache-names", Bindable.listOf(String.class))
        .orElse(List.of()));
    return new QuireCacheNamesCustomizer(new ArrayList<>(names), properties.isStatistics());
  }

  /**
   * The descriptor's URI: {@code quire.config}, {@code spring.cache.jcache.config}, a descriptor generated from
   * {@code quire.node.*}, {@code classpath:quire.xml} if it exists, else the provider's default.
   */
  static URI descriptorUri(QuireProperties properties, Environment environment, ResourceLoader resourceLoader) {
    Resource config = properties.getConfig();
    String bootConfig = environment.getProperty(BOOT_CONFIG_PROPERTY);
    if (config == null && bootConfig != null && !bootConfig.isBlank()) {
      config = resourceLoader.getResource(bootConfig.strip());
    }
    if (config != null) {
      if (properties.describesNode()) {
        throw new IllegalStateException("quire.node.* and quire.serializer.allow apply only when no descriptor is "
            + "given, but the node comes from " + config + ": set them in that descriptor instead");
      }
      return uriOf(config);
    }
    if (properties.describesNode()) {
      return GeneratedDescriptor.write(properties).toUri();
    }
    if (resourceLoader.getResource("classpath:quire.xml").exists()) {
      return URI.create("classpath:quire.xml");
    }
    return QuireCachingProvider.DEFAULT_URI;
  }

  private static URI uriOf(Resource resource) {
    if (resource instanceof ClassPathResource classPath) {
      return URI.create("classpath:" + classPath.getPath());
    }
    if (!resource.exists()) {
      throw new IllegalStateException("Quire descriptor " + resource + " does not exist");
    }
    try {
      return resource.getURI();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Quire descriptor " + resource + " has no URI", e);
    }
  }
}
