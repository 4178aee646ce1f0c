package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A descriptor inside a jar, named by a {@code jar:} URI: what Spring Boot ({@code spring.cache.jcache.config}) and
 * Hibernate ({@code hibernate.javax.cache.uri}) pass on for {@code classpath:quire.xml} in a packaged application.
 */
class JarDescriptorTest {
  private final CachingProvider provider = Caching.getCachingProvider();

  @Test
  void jarUri_isReadAsADescriptor_notTakenForTheDefault(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("app.jar");
    String xml = "<quire xmlns=\"urn:io.quire:cache:1.0\">"
        + "<node data-directory=\"" + dir.resolve("data") + "\"/>"
        + "<cache name=\"from-jar\"/></quire>";
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.putNextEntry(new JarEntry("config/quire.xml"));
      jarOut.write(xml.getBytes(StandardCharsets.UTF_8));
      jarOut.closeEntry();
    }
    URI uri = URI.create("jar:" + jar.toUri() + "!/config/quire.xml");

    CacheManager manager = provider.getCacheManager(uri, getClass().getClassLoader());
    try {
      assertThat(manager.getCacheNames()).containsExactly("from-jar");
    } finally {
      manager.close();
    }
  }
}
