package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpiryTest {
  static final List<String> EXPIRED = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() {
    Caching.getCachingProvider().close();
    EXPIRED.clear();
  }

  @Test
  void theSweepRemovesExpiredEntriesNobodyTouchesWithOneExpiredEventEach() {
    CacheManager manager = Caching.getCachingProvider().getCacheManager();
    Cache<String, String> cache = manager.createCache("sweep", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(FactoryBuilder.factoryOf(ShortForOddKeys.class))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(ExpiredRecorder.class), null, false, true)));
    for (int i = 0; i < 40; i++) {
      ShortForOddKeys.next = i % 2 == 1 ? new Duration(TimeUnit.MILLISECONDS, 1) : Duration.ETERNAL;
      cache.put("k" + i, "v" + i);
    }
    long deadline = System.currentTimeMillis() + 2;
    while (System.currentTimeMillis() <= deadline) {
      Thread.onSpinWait();
    }
    @SuppressWarnings("unchecked")
    QuireCache<String, String> quire = cache.unwrap(QuireCache.class);
    assertThat(quire.sweepExpired()).isEqualTo(20);
    assertThat(quire.sweepExpired()).as("a second sweep finds nothing").isZero();
    assertThat(EXPIRED).hasSize(20).allMatch(key -> Integer.parseInt(key.substring(1)) % 2 == 1);
    int left = 0;
    for (Cache.Entry<String, String> e : cache) {
      left++;
    }
    assertThat(left).isEqualTo(20);
  }

  /** Creation expiry chosen per put by the test; updates and accesses keep the instant. */
  public static final class ShortForOddKeys implements ExpiryPolicy {
    static volatile Duration next = Duration.ETERNAL;

    @Override
    public Duration getExpiryForCreation() {
      return next;
    }

    @Override
    public Duration getExpiryForAccess() {
      return null;
    }

    @Override
    public Duration getExpiryForUpdate() {
      return null;
    }
  }

  /** Records the keys of EXPIRED events. */
  public static final class ExpiredRecorder implements CacheEntryExpiredListener<String, String> {
    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> EXPIRED.add(e.getKey()));
    }
  }
}
