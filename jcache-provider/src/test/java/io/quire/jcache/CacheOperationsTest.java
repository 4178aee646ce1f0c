package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CacheOperationsTest {
  private CacheManager manager;
  private Cache<String, String> cache;

  @BeforeEach
  void open() {
    manager = Caching.getCachingProvider().getCacheManager();
    cache = manager.createCache("ops", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  @AfterEach
  void close() {
    Caching.getCachingProvider().close();
  }

  @Test
  void conditionalOperationsFollowJCache() {
    assertThat(cache.putIfAbsent("k", "1")).isTrue();
    assertThat(cache.putIfAbsent("k", "2")).isFalse();
    assertThat(cache.replace("k", "9", "3")).isFalse();
    assertThat(cache.replace("k", "1", "3")).isTrue();
    assertThat(cache.getAndPut("k", "4")).isEqualTo("3");
    assertThat(cache.getAndReplace("k", "5")).isEqualTo("4");
    assertThat(cache.replace("absent", "x")).isFalse();
    assertThat(cache.remove("k", "4")).isFalse();
    assertThat(cache.getAndRemove("k")).isEqualTo("5");
    assertThat(cache.containsKey("k")).isFalse();
  }

  @Test
  void nullKeysAndValuesAreNullPointerExceptionsAndWrongTypesClassCastExceptions() {
    assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.putAll(new HashMap<>(Map.of("a", "1")) {{ put("b", null); }}))
        .isInstanceOf(NullPointerException.class);
    assertThat(cache.containsKey("a")).as("putAll changed nothing").isFalse();
    @SuppressWarnings({"unchecked", "rawtypes"})
    Cache<Object, Object> raw = (Cache) cache;
    assertThatThrownBy(() -> raw.put(1, "v")).isInstanceOf(ClassCastException.class);
  }

  @Test
  void thousandsOfEntriesAndLargeValuesRoundTrip() {
    Map<String, String> all = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      all.put("key-" + i, "value-" + i);
    }
    cache.putAll(all);
    String big = "x".repeat(200_000);
    cache.put("big", big);
    assertThat(cache.getAll(all.keySet())).isEqualTo(all);
    assertThat(cache.get("big")).isEqualTo(big);
    int seen = 0;
    for (Cache.Entry<String, String> e : cache) {
      seen++;
      assertThat(e.getValue()).isEqualTo(e.getKey().equals("big") ? big : all.get(e.getKey()));
    }
    assertThat(seen).isEqualTo(3001);
    cache.removeAll(Set.of("key-1", "big"));
    assertThat(cache.get("big")).isNull();
    cache.clear();
    assertThat(cache.iterator().hasNext()).isFalse();
  }

  @Test
  void anEntryProcessorThatCannotTravelRunsHereOnceAndAtomically() {
    Object notSerialisable = new Object();
    List<Object> calls = new ArrayList<>();
    cache.put("counter", "0");
    String result = cache.invoke("counter", (entry, args) -> {
      calls.add(notSerialisable);
      entry.setValue(String.valueOf(Integer.parseInt(entry.getValue()) + 1));
      return entry.getValue();
    }, notSerialisable);
    assertThat(result).isEqualTo("1");
    assertThat(calls).hasSize(1);
    assertThatThrownBy(() -> cache.invoke("counter", (entry, args) -> {
      entry.setValue("changed");
      throw new IllegalStateException("boom");
    })).isInstanceOf(EntryProcessorException.class).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(cache.get("counter")).as("a failed processor changes nothing").isEqualTo("1");
  }

  @Test
  void listenersSeeCreatedUpdatedAndRemovedEventsWithOldValuesWhenAsked() {
    List<String> seen = new ArrayList<>();
    Recorder.sink = seen;
    cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Recorder.class), null, true, true));
    cache.put("k", "1");
    cache.put("k", "2");
    cache.remove("k");
    assertThat(seen).containsExactly("CREATED k=1", "UPDATED k=2 old=1", "REMOVED k=2 old=2");
  }

  @Test
  void anEntryCreatedWithAZeroExpiryIsNeverStored() {
    Cache<String, String> expiring = manager.createCache("expiring", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 0))));
    expiring.put("k", "v");
    assertThat(expiring.containsKey("k")).isFalse();
    assertThat(expiring.get("k")).isNull();
  }

  @Test
  void aValueOfAClassThatIsNotAllowListedFailsNamingTheType() {
    Cache<String, Object> objects = manager.createCache("objects", new MutableConfiguration<>());
    assertThatThrownBy(() -> objects.put("k", new NotAllowed()))
        .isInstanceOf(CacheException.class).hasMessageContaining(NotAllowed.class.getName());
  }

  @Test
  void aClosedCacheRefusesEveryOperation() {
    cache.close();
    assertThat(cache.isClosed()).isTrue();
    assertThatThrownBy(() -> cache.get("k")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cache.put("k", "v")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(cache::iterator).isInstanceOf(IllegalStateException.class);
  }

  static final class NotAllowed {}

  /** Records events as text; a static sink because listener factories create the instance. */
  public static final class Recorder implements CacheEntryCreatedListener<String, String>,
      CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String> {
    static List<String> sink;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> sink.add("CREATED " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> sink.add("UPDATED " + e.getKey() + "=" + e.getValue() + " old=" + e.getOldValue()));
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> sink.add("REMOVED " + e.getKey() + "=" + e.getValue() + " old=" + e.getOldValue()));
    }
  }
}
