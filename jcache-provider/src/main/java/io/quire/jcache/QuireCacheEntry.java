package io.quire.jcache;

import javax.cache.Cache;

/** An entry handed to users by the iterator and to cache writers: a key and a value, both copies of what is stored. */
public final class QuireCacheEntry<K, V> implements Cache.Entry<K, V> {
  private final K key;
  private final V value;

  QuireCacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
