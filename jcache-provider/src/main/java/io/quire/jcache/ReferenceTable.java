package io.quire.jcache;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The value objects of a store-by-reference cache (single node only). The bucket pages still hold every entry (key
 * bytes, expiry) and decide every operation atomically; an entry's value bytes are the 8-byte id of its object here.
 *
 * <p>An id is allocated when a value is encoded and stays <em>pending</em> for the encoding thread until the change
 * that stores it commits ({@link ReferenceEntryStore}); pending ids that no change stored are released right after
 * the operation's page change, and an id is released when its entry is overwritten or removed.
 *
 * <p>Concurrency: {@code objects} is a concurrent map; {@code pending} is confined to its thread.
 */
final class ReferenceTable {
  static final int ID_BYTES = Long.BYTES;

  private final ConcurrentHashMap<Long, Object> objects = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final ThreadLocal<List<Long>> pending = ThreadLocal.withInitial(ArrayList::new);

  /** Registers {@code value} and returns the bytes that stand for it in a page. */
  byte[] add(Object value) {
    long id = nextId.getAndIncrement();
    objects.put(id, value);
    pending.get().add(id);
    return ByteBuffer.allocate(ID_BYTES).putLong(id).array();
  }

  /** The object {@code bytes} stand for, or null if its entry has been overwritten or removed meanwhile. */
  Object get(byte[] bytes) {
    return objects.get(idOf(bytes));
  }

  /** Releases the calling thread's pending ids, except {@code kept} (the one its page change stored, or -1). */
  void settle(long kept) {
    List<Long> mine = pending.get();
    for (Long id : mine) {
      if (id != kept) {
        objects.remove(id);
      }
    }
    mine.clear();
  }

  void release(byte[] bytes) {
    objects.remove(idOf(bytes));
  }

  void clear() {
    objects.clear();
  }

  /** How many objects are held; for tests of the release rules. */
  int size() {
    return objects.size();
  }

  static long idOf(byte[] bytes) {
    if (bytes.length != ID_BYTES) {
      throw new IllegalStateException("a store-by-reference entry holds " + bytes.length + " bytes, not an id");
    }
    return ByteBuffer.wrap(bytes).getLong();
  }
}
