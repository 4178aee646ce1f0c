package io.quire.spring;

import java.util.Map;
import javax.cache.CacheManager;
import org.hibernate.cache.jcache.ConfigSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Hands Hibernate's second-level cache (hibernate-jcache) the application's JCache manager, so that entities, Spring
 * caches and health all see one manager on one node. It stays out of the way when the application configures
 * Hibernate's manager itself ({@code hibernate.javax.cache.cache_manager} or {@code hibernate.javax.cache.uri}).
 */
@AutoConfiguration(after = QuireAutoConfiguration.class, before = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({HibernatePropertiesCustomizer.class, ConfigSettings.class})
public class QuireHibernateAutoConfiguration {

  /** Puts the manager bean into Hibernate's properties as {@code hibernate.javax.cache.cache_manager}. */
  @Bean
  public HibernatePropertiesCustomizer quireHibernatePropertiesCustomizer(ObjectProvider<CacheManager> manager) {
    return properties -> useManager(properties, manager);
  }

  private static void useManager(Map<String, Object> properties, ObjectProvider<CacheManager> manager) {
    if (properties.containsKey(ConfigSettings.CACHE_MANAGER) || properties.containsKey(ConfigSettings.CONFIG_URI)) {
      return;
    }
    manager.ifAvailable(m -> properties.put(ConfigSettings.CACHE_MANAGER, m));
  }
}
