package io.quire.tck;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import javax.cache.annotation.BeanProvider;
import org.jsr107.ri.annotations.guice.module.CacheAnnotationsModule;

/**
 * The TCK's annotation tests find their beans through {@link BeanProvider}, loaded with {@link java.util.ServiceLoader}
 * (META-INF/services). Without one, the TCK excludes all twelve annotation tests, which then pass without running.
 * The TCK's own Guice harness is not published, so this is ours: the RI's Guice interceptors
 * ({@link CacheAnnotationsModule}), which resolve caches through the default {@code CachingProvider}, i.e. Quire.
 * The blog managers the tests ask for are concrete classes, bound just in time.
 */
public final class GuiceBeanProvider implements BeanProvider {

  private final Injector injector = Guice.createInjector(new AbstractModule() {
    @Override
    protected void configure() {
      install(new CacheAnnotationsModule());
    }
  });

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return injector.getInstance(beanClass);
  }
}
