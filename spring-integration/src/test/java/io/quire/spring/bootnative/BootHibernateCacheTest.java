package io.quire.spring.bootnative;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.CollectionStatistics;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Hibernate's second-level cache on Quire through hibernate-jcache, configured with Hibernate's properties only
 * ({@link BootNativeTest}): entity, collection and query caches in regions made from the descriptor's template, counted
 * with Hibernate's own {@link Statistics}. Each test uses its own sessions, as requests of an application would.
 */
@BootNativeTest
class BootHibernateCacheTest {
  private static final String BOOK_REGION = "hibernate." + Book.class.getName();
  private static final String BOOKS_OF_AUTHOR_REGION = "hibernate." + Author.class.getName() + ".books";

  @Autowired EntityManagerFactory entityManagerFactory;
  @Autowired javax.cache.CacheManager bootManager;

  private SessionFactory sessionFactory;
  private Statistics statistics;
  private Author author;
  private Book book;

  @BeforeEach
  void data() {
    sessionFactory = entityManagerFactory.unwrap(SessionFactory.class);
    statistics = sessionFactory.getStatistics();
    sessionFactory.inTransaction(session -> {
      session.createMutationQuery("delete from Book").executeUpdate();
      session.createMutationQuery("delete from Author").executeUpdate();
      author = new Author("Ursula");
      session.persist(author);
      book = new Book("The Dispossessed", 1974, author);
      session.persist(book);
      session.persist(new Book("The Lathe of Heaven", 1971, author));
    });
    sessionFactory.getCache().evictAllRegions();
    statistics.clear();
  }

  @Test
  void bootAndHibernate_askingForTheSameDescriptor_getOneManager() {
    JCacheRegionFactory regionFactory = (JCacheRegionFactory) sessionFactory.unwrap(SessionFactoryImplementor.class)
        .getCache().getRegionFactory();

    // One manager per (URI, class loader), and one grid node per data directory: the same instance here.
    assertThat(regionFactory.getCacheManager()).isSameAs(bootManager);
    assertThat(bootManager.getCacheNames()).contains(BOOK_REGION, BOOKS_OF_AUTHOR_REGION,
        "hibernate.default-query-results-region", "hibernate.default-update-timestamps-region");
  }

  @Test
  void entity_secondLoadInAnotherSession_isASecondLevelCacheHit() {
    assertThat(load(book.getId()).getTitle()).isEqualTo("The Dispossessed");
    assertThat(statistics.getSecondLevelCacheMissCount()).isEqualTo(1);
    assertThat(statistics.getSecondLevelCachePutCount()).isEqualTo(1);

    assertThat(load(book.getId()).getTitle()).isEqualTo("The Dispossessed");
    assertThat(load(book.getId()).getTitle()).isEqualTo("The Dispossessed");

    assertThat(statistics.getEntityStatistics(Book.class.getName()).getCacheHitCount()).isEqualTo(2);
    assertThat(statistics.getEntityStatistics(Book.class.getName()).getLoadCount()).isEqualTo(1);
  }

  @Test
  void entity_updatedInAnotherSession_isNotReadStale() {
    load(book.getId());
    sessionFactory.inTransaction(session -> session.find(Book.class, book.getId()).setTitle("Anarres"));

    statistics.clear();
    assertThat(load(book.getId()).getTitle()).isEqualTo("Anarres");
    // The update replaced the cached entry on commit (read-write strategy): read from the cache, not the database.
    assertThat(statistics.getEntityStatistics(Book.class.getName()).getLoadCount()).isZero();
    assertThat(statistics.getSecondLevelCacheHitCount()).isEqualTo(1);
  }

  @Test
  void collection_secondLoad_isACacheHit() {
    assertThat(titlesOf(author.getId())).hasSize(2);
    assertThat(titlesOf(author.getId())).hasSize(2);

    CollectionStatistics books = statistics.getCollectionStatistics(Author.class.getName() + ".books");
    assertThat(books.getCacheHitCount()).isEqualTo(1);
    assertThat(books.getLoadCount()).isEqualTo(1);
  }

  @Test
  void query_cachedResults_areHitUntilAnUpdateOfTheTableInvalidatesThem() {
    assertThat(titlesAfter(1970)).containsExactly("The Lathe of Heaven", "The Dispossessed");
    assertThat(titlesAfter(1970)).containsExactly("The Lathe of Heaven", "The Dispossessed");
    assertThat(statistics.getQueryCacheMissCount()).isEqualTo(1);
    assertThat(statistics.getQueryCacheHitCount()).isEqualTo(1);

    sessionFactory.inTransaction(session -> session.find(Book.class, book.getId()).setTitle("Anarres"));

    assertThat(titlesAfter(1970)).containsExactly("The Lathe of Heaven", "Anarres");
    assertThat(statistics.getQueryCacheMissCount()).isEqualTo(2);
    assertThat(statistics.getQueryCacheHitCount()).isEqualTo(1);
  }

  private Book load(Long id) {
    return sessionFactory.fromTransaction(session -> session.find(Book.class, id));
  }

  private List<String> titlesOf(Long authorId) {
    return sessionFactory.fromTransaction(session -> session.find(Author.class, authorId).getBooks().stream()
        .map(Book::getTitle).sorted().toList());
  }

  private List<String> titlesAfter(int year) {
    return sessionFactory.fromTransaction(session -> session
        .createSelectionQuery("select b.title from Book b where b.published > :year order by b.published", String.class)
        .setParameter("year", year)
        .setCacheable(true)
        .getResultList());
  }
}
