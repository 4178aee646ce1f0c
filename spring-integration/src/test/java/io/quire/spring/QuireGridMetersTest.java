package io.quire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class QuireGridMetersTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(QuireAutoConfiguration.class, CacheAutoConfiguration.class,
          QuireMetricsAutoConfiguration.class));

  @Test
  void theGridsPagesAndTrafficAreMetersThatMoveWithTheCaches() {
    runner.withPropertyValues("quire.config=classpath:quire.xml").run(context -> {
      MeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(QuireGridMeters.class).bindTo(registry);
      CacheManager manager = context.getBean(CacheManager.class);
      double before = registry.get("quire.grid.pages").tag("tier", "ram").gauge().value();
      Cache<String, String> cache = manager.createCache("metered", new MutableConfiguration<>());
      for (int i = 0; i < 500; i++) {
        cache.put("k" + i, "value " + i);
      }
      assertThat(registry.get("quire.grid.pages").tag("tier", "ram").gauge().value()).isGreaterThan(before);
      assertThat(registry.get("quire.grid.ram.bytes").gauge().value()).isPositive();
      assertThat(registry.get("quire.grid.members").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("quire.grid.messages.sent").functionCounter().count()).isZero();
      assertThat(registry.get("quire.grid.read.misses").functionCounter()).isNotNull();
    });
  }
}
