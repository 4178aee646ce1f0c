package io.quire.spring.bootnative;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.jcache.QuireCacheManager;
import io.quire.spring.bootnative.BootNativeApp.GreetingService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cache.CacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;

/** Spring's cache annotations on Quire caches, through Boot's own JCache support and no Quire code. */
@BootNativeTest
class BootSpringCacheTest {

  @Autowired GreetingService service;
  @Autowired CacheManager springCacheManager;
  @Autowired javax.cache.CacheManager jcacheManager;

  @BeforeEach
  void clear() {
    jcacheManager.getCache("greetings").clear();
    service.resetCalls();
  }

  @Test
  void boot_createsTheQuireManagerFromTheDescriptor() {
    assertThat(springCacheManager).isInstanceOf(JCacheCacheManager.class);
    assertThat(jcacheManager).isInstanceOf(QuireCacheManager.class);
    assertThat(jcacheManager.getCacheNames()).contains("greetings");
    assertThat(springCacheManager.getCacheNames()).contains("greetings");
  }

  @Test
  void cacheable_secondCallWithTheSameKey_isServedFromQuire() {
    assertThat(service.greet("ann")).isEqualTo("Hello, ann");
    assertThat(service.greet("ann")).isEqualTo("Hello, ann");
    assertThat(service.greet("bob")).isEqualTo("Hello, bob");

    assertThat(service.calls()).isEqualTo(2);
    assertThat(jcacheManager.getCache("greetings").get("ann")).isEqualTo("Hello, ann");
  }

  @Test
  void cachePut_alwaysRuns_andReplacesTheCachedValue() {
    service.greet("ann");
    assertThat(service.update("ann", "Hi, ann")).isEqualTo("Hi, ann");
    assertThat(service.update("ann", "Hey, ann")).isEqualTo("Hey, ann");

    assertThat(service.greet("ann")).isEqualTo("Hey, ann");
    assertThat(service.calls()).isEqualTo(3);
  }

  @Test
  void cacheEvict_removesTheEntry_soTheNextCallRunsAgain() {
    service.greet("ann");
    service.forget("ann");
    assertThat(jcacheManager.getCache("greetings").containsKey("ann")).isFalse();

    service.greet("ann");
    assertThat(service.calls()).isEqualTo(2);
  }

  @Test
  void cacheableOnAnUndeclaredName_createsTheCacheFromTheTemplate() {
    assertThat(service.power(7, 2)).isEqualTo(49L);
    assertThat(service.power(7, 2)).isEqualTo(49L);
    assertThat(service.power(2, 7)).isEqualTo(128L);

    assertThat(service.calls()).isEqualTo(2);
    assertThat(jcacheManager.getCacheNames()).contains("squares");
  }
}
