package io.quire.spring.example;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.springframework.stereotype.Service;

/** The JSR-107 annotations, which Spring supports beside its own, on the Quire cache "prices". */
@Service
@CacheDefaults(cacheName = "prices")
public class PriceService {
  private final AtomicInteger computations = new AtomicInteger();

  /** How often a price was computed, that is, how often the cache missed. */
  public int computations() {
    return computations.get();
  }

  @CacheResult
  public BigDecimal price(String isbn) {
    computations.incrementAndGet();
    return new BigDecimal(isbn.length()).movePointLeft(1).add(BigDecimal.TEN);
  }

  @CachePut
  public void setPrice(@CacheKey String isbn, @CacheValue BigDecimal price) {
  }

  @CacheRemove
  public void forget(String isbn) {
  }

  @CacheRemoveAll
  public void forgetAll() {
  }
}
