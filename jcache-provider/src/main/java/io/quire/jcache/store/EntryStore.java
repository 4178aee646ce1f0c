package io.quire.jcache.store;

import java.util.Iterator;

/**
 * The entries of one cache, held in the pages of the cache's own address range. Keys are compared by their bytes.
 * Safe for concurrent use by many threads, and by stores on other nodes opened on the same range: every change of a
 * key is atomic through the write privilege of its bucket page.
 */
public interface EntryStore {

  /** The entry stored under {@code key}, expired or not, or null. Never waits for a writer. */
  StoredEntry get(byte[] key);

  /**
   * The entry stored under {@code key}, expired or not, handed to {@code reader} where it lies instead of copied out;
   * what the reader returns, or null when there is no such entry. Never waits for a writer. The reader runs once at
   * most, in the calling thread, and must not call the store.
   */
  default <T> T read(byte[] key, ValueReader<T> reader) {
    StoredEntry entry = get(key);
    return entry == null ? null : reader.read(entry.value(), 0, entry.value().length, entry.expiresAt());
  }

  /** Reads one entry's value in place; see {@link #read}. */
  @FunctionalInterface
  interface ValueReader<T> {
    /**
     * Reads the value that lies in {@code bytes} at {@code offset}, {@code length} bytes long. The array may be the
     * page itself: valid only during the call, never to be written or kept.
     *
     * @param expiresAt the entry's expiry instant, as in {@link StoredEntry#expiresAt()}
     */
    T read(byte[] bytes, int offset, int length, long expiresAt);
  }

  /** Atomically reads the entry of {@code key}, applies {@code mutation} once, and makes the change it returns. */
  <R> R compute(byte[] key, EntryMutation<R> mutation);

  /**
   * Every entry, expired or not, bucket by bucket. Weakly consistent: each bucket is read at one instant, so an entry
   * present throughout the walk is seen exactly once, and one added or removed during it may or may not be seen.
   * {@code remove()} is not supported.
   */
  Iterator<StoredEntry> iterator();

  /** Removes every entry; each bucket is emptied atomically. */
  void clear();

  /** Removes every entry and frees every page of the store; the store cannot be used afterwards. */
  void destroy();
}
