package io.quire.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.jcache.QuireCachingProvider;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;

/**
 * The starter names the descriptor {@code classpath:quire.xml}; Boot's own support and Hibernate's
 * {@code hibernate.javax.cache.uri} pass on the resource's URL ({@code file:} here). Those are two managers, but one
 * grid node: the provider shares a node per data directory (a second node on the same directory could not even
 * open, the directory being locked), so a persistent cache written through one manager is read through the other.
 */
class SharedNodeTest {
  private final CachingProvider provider = Caching.getCachingProvider(QuireCachingProvider.class.getName());

  @Test
  void managersForOneDescriptorUnderTwoUris_shareOneNode() throws Exception {
    // A class loader of its own, so that closing these managers leaves the test contexts' managers open.
    ClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader());
    URI asTheStarterNamesIt = URI.create("classpath:quire.xml");
    URI asBootAndHibernateNameIt = getClass().getResource("/quire.xml").toURI();

    CacheManager starter = provider.getCacheManager(asTheStarterNamesIt, loader);
    CacheManager hibernate = provider.getCacheManager(asBootAndHibernateNameIt, loader);
    try {
      assertThat(hibernate).isNotSameAs(starter);
      String key = UUID.randomUUID().toString();
      starter.<String, String>getCache("shared").put(key, "written through the starter's manager");

      assertThat(hibernate.<String, String>getCache("shared").get(key))
          .isEqualTo("written through the starter's manager");
    } finally {
      hibernate.close();
      starter.close();
    }
  }
}
