package io.quire.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quire.jcache.QuireCacheManager;
import io.quire.spring.QuireHealthIndicator;
import jakarta.persistence.EntityManagerFactory;
import java.math.BigDecimal;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.jcache.JCacheCacheManager;

/**
 * The example application on the starter: Spring's and JSR-107's annotations counted by invocations, Hibernate's
 * second-level cache on the same manager, cache metrics through Boot's JCache binder, and the health indicator.
 */
@SpringBootTest(classes = ExampleApplication.class)
class ExampleApplicationTest {

  @Autowired BookService bookService;
  @Autowired PriceService priceService;
  @Autowired BookRepository books;
  @Autowired javax.cache.CacheManager jcacheManager;
  @Autowired org.springframework.cache.CacheManager springCacheManager;
  @Autowired EntityManagerFactory entityManagerFactory;
  @Autowired MeterRegistry meters;
  @Autowired QuireHealthIndicator health;

  private long dispossessed;

  @BeforeEach
  void data() {
    books.deleteAll();
    dispossessed = books.save(new Book("The Dispossessed")).getId();
    jcacheManager.getCache("books").clear();
    jcacheManager.getCache("prices").clear();
  }

  @Test
  void starter_makesTheDescriptorsManagerTheApplicationsCacheManager() {
    assertThat(jcacheManager).isInstanceOf(QuireCacheManager.class);
    assertThat(jcacheManager.getURI()).hasToString("classpath:quire.xml");
    assertThat(((JCacheCacheManager) springCacheManager).getCacheManager()).isSameAs(jcacheManager);
    assertThat(jcacheManager.getCacheNames()).contains("greetings", "books", "prices");
  }

  @Test
  void springAnnotations_cacheable_cachePut_cacheEvict() {
    int before = bookService.lookups();
    assertThat(bookService.summary(dispossessed).title()).isEqualTo("The Dispossessed");
    assertThat(bookService.summary(dispossessed).title()).isEqualTo("The Dispossessed");
    assertThat(bookService.lookups() - before).isEqualTo(1);

    bookService.rename(dispossessed, "Anarres");
    assertThat(bookService.summary(dispossessed).title()).isEqualTo("Anarres");
    assertThat(bookService.lookups() - before).isEqualTo(1);

    bookService.forget(dispossessed);
    assertThat(bookService.summary(dispossessed).title()).isEqualTo("Anarres");
    assertThat(bookService.lookups() - before).isEqualTo(2);
  }

  @Test
  void jsr107Annotations_cacheResult_cachePut_cacheRemove_cacheRemoveAll() {
    int before = priceService.computations();
    BigDecimal price = priceService.price("978-0060512750");
    assertThat(priceService.price("978-0060512750")).isEqualTo(price);
    assertThat(priceService.computations() - before).isEqualTo(1);

    priceService.setPrice("978-0060512750", new BigDecimal("9.99"));
    assertThat(priceService.price("978-0060512750")).isEqualTo(new BigDecimal("9.99"));
    assertThat(priceService.computations() - before).isEqualTo(1);

    priceService.forget("978-0060512750");
    assertThat(priceService.price("978-0060512750")).isEqualTo(price);
    assertThat(priceService.computations() - before).isEqualTo(2);

    priceService.price("978-0441478125");
    priceService.forgetAll();
    assertThat(jcacheManager.getCache("prices").iterator().hasNext()).isFalse();
    priceService.price("978-0060512750");
    assertThat(priceService.computations() - before).isEqualTo(4);
  }

  @Test
  void hibernate_getsTheSameManager_andItsSecondLevelCacheHits() {
    SessionFactory sessionFactory = entityManagerFactory.unwrap(SessionFactory.class);
    JCacheRegionFactory regionFactory = (JCacheRegionFactory) sessionFactory.unwrap(SessionFactoryImplementor.class)
        .getCache().getRegionFactory();
    assertThat(regionFactory.getCacheManager()).isSameAs(jcacheManager);

    sessionFactory.getCache().evictAllRegions();
    Statistics statistics = sessionFactory.getStatistics();
    statistics.clear();
    books.findById(dispossessed);
    books.findById(dispossessed);
    books.findById(dispossessed);
    assertThat(statistics.getEntityStatistics(Book.class.getName()).getLoadCount()).isEqualTo(1);
    assertThat(statistics.getEntityStatistics(Book.class.getName()).getCacheHitCount()).isEqualTo(2);
    assertThat(jcacheManager.getCacheNames()).contains("hibernate." + Book.class.getName());
  }

  @Test
  void cacheMetrics_throughBootsJCacheBinder_move() {
    double hits = counter("cache.gets", "hit");
    double misses = counter("cache.gets", "miss");
    double puts = meters.get("cache.puts").tag("cache", "books").functionCounter().count();
    double removals = value("cache.removals");

    bookService.summary(dispossessed);
    bookService.summary(dispossessed);
    bookService.summary(dispossessed);
    bookService.forget(dispossessed);

    assertThat(counter("cache.gets", "miss") - misses).isEqualTo(1);
    assertThat(counter("cache.gets", "hit") - hits).isEqualTo(2);
    assertThat(meters.get("cache.puts").tag("cache", "books").functionCounter().count() - puts).isEqualTo(1);
    assertThat(value("cache.removals") - removals).isEqualTo(1);
    // Quire caches have no size bound, so nothing is evicted; the meter is there all the same.
    assertThat(meters.get("cache.evictions").tag("cache", "books").meter()).isNotNull();
  }

  @Test
  void aCacheMadeFromATemplateAfterStartup_getsBootsCacheMeters() {
    // Spring makes "later.made" on first use, from the descriptor's catch-all template (statistics on).
    org.springframework.cache.Cache later = springCacheManager.getCache("later.made");
    assertThat(later).isNotNull();
    assertThat(later.get("absent")).isNull();
    later.put("present", "value");
    assertThat(later.get("present")).isNotNull();

    assertThat(meters.get("cache.gets").tag("cache", "later.made").tag("result", "miss").functionCounter().count())
        .isEqualTo(1);
    assertThat(meters.get("cache.gets").tag("cache", "later.made").tag("result", "hit").functionCounter().count())
        .isEqualTo(1);
    assertThat(meters.get("cache.puts").tag("cache", "later.made").tag("cache.manager", "cacheManager")
        .functionCounter().count()).isEqualTo(1);
    // A Hibernate region, made through JCache alone: bound as well.
    jcacheManager.getCache("hibernate.later");
    assertThat(meters.get("cache.gets").tag("cache", "hibernate.later").tag("result", "miss").functionCounter())
        .isNotNull();
  }

  @Test
  void health_isUp_withTheManagersCaches() {
    Health report = health.health();
    assertThat(report.getStatus()).isEqualTo(Status.UP);
    Map<String, Object> details = report.getDetails();
    assertThat(details).containsEntry("uri", "classpath:quire.xml").containsEntry("node", "spring-tests")
        .containsEntry("cluster", "spring-tests").containsEntry("k", 2).containsEntry("replication", "satisfied")
        .containsEntry("members", 1).containsEntry("replicationNote", "k=2, 1 member: copies limited by members, satisfied");
    assertThat(details.get("caches")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .contains("books", "prices", "greetings");
    assertThat((Integer) details.get("cacheCount")).isGreaterThanOrEqualTo(3);
  }

  // Micrometer registers some JCache statistics as gauges and some as counters: read the meter's one value.
  private double value(String name) {
    return meters.get(name).tag("cache", "books").meter().measure().iterator().next().getValue();
  }

  private double counter(String name, String result) {
    return meters.get(name).tag("cache", "books").tag("result", result).functionCounter().count();
  }
}
