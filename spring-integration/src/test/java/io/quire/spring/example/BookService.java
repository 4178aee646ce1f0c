package io.quire.spring.example;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Spring's cache annotations on the Quire cache "books" (created at startup from quire.cache-names). */
@Service
public class BookService {
  private final BookRepository books;
  private final AtomicInteger lookups = new AtomicInteger();

  public BookService(BookRepository books) {
    this.books = books;
  }

  /** How often the repository was asked, that is, how often the cache missed. */
  public int lookups() {
    return lookups.get();
  }

  @Cacheable("books")
  public BookSummary summary(long id) {
    lookups.incrementAndGet();
    return books.findById(id).map(b -> new BookSummary(b.getId(), b.getTitle())).orElseThrow();
  }

  @Transactional
  @CachePut(cacheNames = "books", key = "#id")
  public BookSummary rename(long id, String title) {
    Book book = books.findById(id).orElseThrow();
    book.setTitle(title);
    return new BookSummary(id, title);
  }

  @CacheEvict("books")
  public void forget(long id) {
  }
}
