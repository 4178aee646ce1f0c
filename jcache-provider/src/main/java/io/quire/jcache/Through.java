package io.quire.jcache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * Read- and write-through for one cache: calls its {@link CacheLoader} and {@link CacheWriter} and turns their failures
 * into the exceptions JCache prescribes. A null loader or writer means the feature is off.
 */
final class Through<K, V> {
  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;

  @SuppressWarnings("unchecked")
  Through(CacheLoader<K, V> loader, CacheWriter<? super K, ? super V> writer) {
    this.loader = loader;
    // A writer of supertypes accepts our entries; JCache's wildcards just cannot say so for its collections.
    this.writer = (CacheWriter<K, V>) writer;
  }

  CacheLoader<K, V> loader() {
    return loader;
  }

  CacheWriter<K, V> writer() {
    return writer;
  }

  boolean reads() {
    return loader != null;
  }

  boolean writes() {
    return writer != null;
  }

  /** The loader's value for {@code key}, or null. */
  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("loader failed for key " + key + ": " + e, e);
    }
  }

  /** The loader's values for {@code keys}; keys it has no value for are absent or map to null. */
  Map<K, V> loadAll(Iterable<K> keys) {
    try {
      Map<K, V> loaded = loader.loadAll(keys);
      return loaded == null ? Map.of() : loaded;
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("loader failed: " + e, e);
    }
  }

  void write(K key, V value) {
    if (writer == null) {
      return;
    }
    try {
      writer.write(new QuireCacheEntry<>(key, value));
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("writer failed for key " + key + ": " + e, e);
    }
  }

  void delete(K key) {
    if (writer == null) {
      return;
    }
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("writer failed to delete key " + key + ": " + e, e);
    }
  }

  /**
   * Writes {@code entries} in one batch. JCache's writer removes from the collection what it wrote; on failure what
   * remains was not written.
   *
   * @return the keys written (all of them on success) and the failure, if any
   */
  Batch<K> writeAll(Map<K, V> entries) {
    List<Cache.Entry<? extends K, ? extends V>> batch = new ArrayList<>(entries.size());
    entries.forEach((k, v) -> batch.add(new QuireCacheEntry<>(k, v)));
    Collection<Cache.Entry<? extends K, ? extends V>> remaining = new ArrayList<>(batch);
    try {
      writer.writeAll(remaining);
      return new Batch<>(new ArrayList<>(entries.keySet()), null);
    } catch (RuntimeException e) {
      Map<K, Boolean> left = new HashMap<>();
      for (Cache.Entry<? extends K, ? extends V> entry : remaining) {
        left.put(entry.getKey(), Boolean.TRUE);
      }
      List<K> written = new ArrayList<>();
      for (K k : entries.keySet()) {
        if (!left.containsKey(k)) {
          written.add(k);
        }
      }
      return new Batch<>(written, wrapWriter(e));
    }
  }

  /** Deletes {@code keys} in one batch; see {@link #writeAll}. */
  Batch<K> deleteAll(Collection<K> keys) {
    Collection<K> remaining = new ArrayList<>(keys);
    try {
      writer.deleteAll(remaining);
      return new Batch<>(new ArrayList<>(keys), null);
    } catch (RuntimeException e) {
      List<K> deleted = new ArrayList<>();
      for (K k : keys) {
        if (!remaining.contains(k)) {
          deleted.add(k);
        }
      }
      return new Batch<>(deleted, wrapWriter(e));
    }
  }

  private static CacheWriterException wrapWriter(RuntimeException e) {
    return e instanceof CacheWriterException w ? w : new CacheWriterException("writer failed: " + e, e);
  }

  /** The keys a batch wrote or deleted, and its failure (null if none). */
  record Batch<K>(List<K> done, CacheWriterException failure) {}
}
