package io.quire.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import javax.cache.CacheManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Binds the grid node's meters ({@link QuireGridMeters}) when Micrometer is present and the manager is Quire's. */
@AutoConfiguration(after = {QuireAutoConfiguration.class, CacheAutoConfiguration.class})
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(CacheManager.class)
public class QuireMetricsAutoConfiguration {

  /** The grid's meters; none are bound when the application's JCache manager is not Quire's. */
  @Bean
  @ConditionalOnMissingBean(QuireGridMeters.class)
  public QuireGridMeters quireGridMeters(CacheManager manager) {
    return new QuireGridMeters(manager);
  }
}
