package io.quire.spring;

import javax.cache.CacheManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code quire} health indicator, when Boot's health support is present; {@code management.health.quire.enabled}
 * switches it off.
 */
@AutoConfiguration(after = {QuireAutoConfiguration.class, CacheAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(CacheManager.class)
@ConditionalOnEnabledHealthIndicator("quire")
public class QuireHealthAutoConfiguration {

  /** Reports on the application's JCache manager. */
  @Bean
  @ConditionalOnMissingBean(name = "quireHealthIndicator")
  public QuireHealthIndicator quireHealthIndicator(CacheManager manager) {
    return new QuireHealthIndicator(manager);
  }
}
