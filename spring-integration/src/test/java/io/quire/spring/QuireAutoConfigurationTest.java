package io.quire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.jcache.QuireCacheManager;
import io.quire.jcache.QuireCachingProvider;
import io.quire.jcache.config.NodeDescriptor;
import java.nio.file.Path;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The starter's auto-configuration in small contexts. Each context runs on a class loader of its own: managers are
 * one per (URI, class loader), so closing a context here never closes the manager of a cached test context.
 */
class QuireAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withClassLoader(new FilteredClassLoader(String.class.getName() + "$NotAClass"))
      .withConfiguration(AutoConfigurations.of(QuireAutoConfiguration.class, CacheAutoConfiguration.class,
          QuireHealthAutoConfiguration.class));

  @Test
  void quireConfig_namesTheDescriptor_passedOnAsAClasspathUri() {
    runner.withPropertyValues("quire.config=classpath:quire.xml").run(context -> {
      CacheManager manager = context.getBean(CacheManager.class);
      assertThat(manager).isInstanceOf(QuireCacheManager.class);
      assertThat(manager.getURI()).hasToString("classpath:quire.xml");
      assertThat(manager.getCacheNames()).contains("greetings");
    });
  }

  @Test
  void bootsJCacheConfigProperty_isHonoured() {
    runner.withPropertyValues("spring.cache.jcache.config=classpath:quire.xml").run(context ->
        assertThat(context.getBean(CacheManager.class).getURI()).hasToString("classpath:quire.xml"));
  }

  @Test
  void withoutProperties_classpathQuireXml_isUsedWhenPresent() {
    runner.run(context ->
        assertThat(context.getBean(CacheManager.class).getURI()).hasToString("classpath:quire.xml"));
  }

  @Test
  void withoutProperties_orQuireXml_theProvidersDefaultManagerIsUsed() {
    runner.withClassLoader(new FilteredClassLoader(new ClassPathResource("quire.xml"))).run(context ->
        assertThat(context.getBean(CacheManager.class).getURI()).isEqualTo(QuireCachingProvider.DEFAULT_URI));
  }

  @Test
  @SuppressWarnings("unchecked") // getConfiguration(CompleteConfiguration.class): a raw class literal, as JCache has it
  void cacheNames_areCreatedAtStartup_withStatistics_andDescriptorCachesAreKept() {
    runner.withPropertyValues("quire.config=classpath:quire.xml", "quire.cache-names=orders,greetings",
        "spring.cache.cache-names=invoices", "quire.statistics=true").run(context -> {
          CacheManager manager = context.getBean(CacheManager.class);
          assertThat(manager.getCacheNames()).contains("orders", "invoices", "greetings");
          assertThat(manager.getCache("orders").getConfiguration(CompleteConfiguration.class).isStatisticsEnabled())
              .isTrue();
        });
  }

  @Test
  void nodeProperties_withoutADescriptor_becomeAGeneratedDescriptor() {
    Path data = Path.of("target", "quire-data", "generated");
    runner.withClassLoader(new FilteredClassLoader(new ClassPathResource("quire.xml"))).withPropertyValues(
        "quire.node.name=n7", "quire.node.cluster=orders", "quire.node.group=site-a/rack-1",
        "quire.node.ram-budget=8MB", "quire.node.replication=3", "quire.node.data-directory=" + data,
        "quire.serializer.allow=com.example.*", "quire.cache-names=orders").run(context -> {
          QuireCacheManager manager = context.getBean(CacheManager.class).unwrap(QuireCacheManager.class);
          assertThat(manager.getURI().getScheme()).isEqualTo("file");
          NodeDescriptor node = manager.descriptor().node();
          assertThat(node.effectiveName()).isEqualTo("n7");
          assertThat(node.cluster()).isEqualTo("orders");
          assertThat(node.group()).isEqualTo("site-a/rack-1");
          assertThat(node.ramBudgetBytes()).isEqualTo(8L << 20);
          assertThat(node.replication()).isEqualTo(3);
          assertThat(node.effectiveDataDirectory()).isEqualTo(data.toAbsolutePath());
          assertThat(manager.descriptor().cacheOrTemplate("orders").orElseThrow().serializerAllow())
              .containsExactly("com.example.*");
          assertThat(manager.getCacheNames()).contains("orders");
        });
  }

  @Test
  void nodeProperties_withADescriptor_areRefused() {
    runner.withPropertyValues("quire.config=classpath:quire.xml", "quire.node.replication=3").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("quire.node.*")
            .hasMessageContaining("quire.xml"));
  }

  @Test
  void springCache_wrapsTheQuireManager() {
    runner.withUserConfiguration(CachingApp.class).run(context -> {
      org.springframework.cache.CacheManager spring = context.getBean(org.springframework.cache.CacheManager.class);
      assertThat(spring).isInstanceOf(JCacheCacheManager.class);
      assertThat(((JCacheCacheManager) spring).getCacheManager()).isSameAs(context.getBean(CacheManager.class));
    });
  }

  @Test
  void health_isUpWhileTheManagerIsOpen_andDownOnceClosed() {
    runner.run(context -> {
      QuireHealthIndicator health = context.getBean(QuireHealthIndicator.class);
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
      assertThat(health.health().getDetails()).containsKeys("caches", "cacheCount", "node", "replication", "members");

      context.getBean(CacheManager.class).close();
      assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    });
  }

  @Test
  void health_canBeSwitchedOff() {
    runner.withPropertyValues("management.health.quire.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(QuireHealthIndicator.class));
  }

  @Test
  void metadata_letsIdesCompleteTheProperties() throws Exception {
    String metadata = new String(new ClassPathResource("META-INF/spring-configuration-metadata.json")
        .getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(metadata).contains("\"quire.config\"", "\"quire.cache-names\"", "\"quire.node.ram-budget\"",
        "\"quire.node.replication\"", "\"quire.node.group\"", "\"quire.serializer.allow\"");
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class CachingApp {
  }
}
