package io.quire.jcache.store;

import java.util.Arrays;

/**
 * One key's place in a leaf page's bytes, and the page's next content after a change of that key, spliced from the
 * bytes where they lie: the fast path of a compute, which neither decodes the other entries into {@link Slot}s nor
 * re-encodes them. The content it makes is byte for byte what {@link BucketPage#encodeLeaf} makes of the decoded
 * entries with the same change (a replaced entry keeps its place, a new one goes last, a removed one closes up).
 *
 * <p>{@link #locate} answers only for a leaf that it checked whole, as {@link BucketPage#decode} would (flags,
 * lengths, refs, zeros after the last entry), and whose entry of the key, if any, is held wholly in line. Anything
 * else (absent, split or overflowed buckets, damage, an out-of-line key that may be this one, a value out of line) is
 * null, and the caller takes the full way, which reports damage with the page's address. Immutable; the page bytes
 * are read, never written.
 */
final class LeafEdit {
  private static final int ENTRY_HEAD = 1 + Long.BYTES + Integer.BYTES;

  private final byte[] page;
  private final int count;
  /** The leaf's bytes: header and entries; zeros follow. */
  private final int used;
  /** The key's entry: its offset, or -1 when the leaf does not hold the key. */
  private final int at;
  private final int length;
  private final long expiresAt;
  private final int valueAt;
  private final int valueLength;

  private LeafEdit(byte[] page, int count, int used, int at, int length, long expiresAt, int valueAt,
      int valueLength) {
    this.page = page;
    this.count = count;
    this.used = used;
    this.at = at;
    this.length = length;
    this.expiresAt = expiresAt;
    this.valueAt = valueAt;
    this.valueLength = valueLength;
  }

  /**
   * The place of {@code key} in {@code page}, or null when the page is not a well-formed leaf whose entry of the key
   * (if any) is held in line.
   */
  static LeafEdit locate(byte[] page, byte[] key, long keyHash) {
    if (page.length < BucketPage.LEAF_HEADER || page[0] != BucketPage.FORMAT || page[1] != BucketPage.KIND_LEAF) {
      return null;
    }
    int count = ((page[2] & 0xFF) << 8) | (page[3] & 0xFF);
    int pos = BucketPage.LEAF_HEADER;
    int found = -1;
    int foundLength = 0;
    long foundExpiry = 0;
    int foundValueAt = 0;
    int foundValueLength = 0;
    for (int i = 0; i < count; i++) {
      int start = pos;
      if (pos + ENTRY_HEAD > page.length) {
        return null;
      }
      int flags = page[pos] & 0xFF;
      int keyLength = readInt(page, pos + 1 + Long.BYTES);
      pos += ENTRY_HEAD;
      if (keyLength < 0 || (flags & ~(Slot.VALUE_OUT | Slot.KEY_OUT)) != 0 || flags == Slot.KEY_OUT) {
        return null;
      }
      boolean keyOut = (flags & Slot.KEY_OUT) != 0;
      boolean valueOut = (flags & Slot.VALUE_OUT) != 0;
      boolean match;
      if (keyOut) {
        if (pos + Long.BYTES > page.length) {
          return null;
        }
        if (keyLength == key.length && readLong(page, pos) == keyHash) {
          return null; // may be this key: only its range can tell
        }
        match = false;
        pos += Long.BYTES;
      } else {
        if (keyLength > page.length - pos) {
          return null;
        }
        match = found < 0 && sameKey(page, pos, keyLength, key);
        pos += keyLength;
      }
      if (pos + Integer.BYTES > page.length) {
        return null;
      }
      int valueLen = readInt(page, pos);
      pos += Integer.BYTES;
      if (valueLen < 0) {
        return null;
      }
      if (valueOut) {
        if (Ref.BYTES > page.length - pos) {
          return null;
        }
        int refLength = readInt(page, pos + 2 * Long.BYTES);
        if (refLength < 1 || refLength != (keyOut ? (long) keyLength : 0) + valueLen) {
          return null;
        }
        if (match) {
          return null; // the value lies in a range: the full way reads it and frees it when replaced
        }
        pos += Ref.BYTES;
      } else {
        if (valueLen > page.length - pos) {
          return null;
        }
        if (match) {
          found = start;
          foundExpiry = readLong(page, start + 1);
          foundValueAt = pos;
          foundValueLength = valueLen;
        }
        pos += valueLen;
      }
      if (match) {
        foundLength = pos - start;
      }
    }
    for (int i = pos; i < page.length; i++) {
      if (page[i] != 0) {
        return null;
      }
    }
    return new LeafEdit(page, count, pos, found, foundLength, foundExpiry, foundValueAt, foundValueLength);
  }

  /**
   * Whether the {@code keyLength} bytes at {@code pos} of {@code page} (which the caller checked are there) are {@code
   * key}. The last byte is compared first: serialised keys of one cache tend to share a prefix and differ at the end
   * (a string's last characters, a number's low digits), so most other keys are told apart by one byte.
   */
  static boolean sameKey(byte[] page, int pos, int keyLength, byte[] key) {
    return keyLength == key.length
        && (keyLength == 0 || page[pos + keyLength - 1] == key[keyLength - 1])
        && Arrays.equals(page, pos, pos + keyLength, key, 0, keyLength);
  }

  /** Whether the leaf holds the key (in line). */
  boolean holdsKey() {
    return at >= 0;
  }

  /** The key's entry with fresh arrays, or null when the leaf does not hold the key. */
  StoredEntry current(byte[] key) {
    if (at < 0) {
      return null;
    }
    return new StoredEntry(key.clone(), Arrays.copyOfRange(page, valueAt, valueAt + valueLength), expiresAt);
  }

  /**
   * The leaf with the key's entry replaced by (or, if absent, followed by) an in-line entry of {@code value}; null if
   * that leaf would not fit in {@code pageBytes} or hold too many entries. The caller checked the placement rule.
   */
  byte[] put(byte[] key, byte[] value, long newExpiresAt, int pageBytes) {
    long entry = Slot.inlineBytes(key.length, value.length);
    long next = used - (at < 0 ? 0 : length) + entry;
    if (next > pageBytes || (at < 0 && count >= BucketPage.MAX_LEAF_ENTRIES)) {
      return null;
    }
    byte[] out = new byte[(int) next];
    int place = at < 0 ? used : at;
    System.arraycopy(page, 0, out, 0, place);
    int pos = place;
    out[pos] = 0;
    writeLong(out, pos + 1, newExpiresAt);
    writeInt(out, pos + 1 + Long.BYTES, key.length);
    pos += ENTRY_HEAD;
    System.arraycopy(key, 0, out, pos, key.length);
    pos += key.length;
    writeInt(out, pos, value.length);
    pos += Integer.BYTES;
    System.arraycopy(value, 0, out, pos, value.length);
    pos += value.length;
    if (at >= 0) {
      System.arraycopy(page, at + length, out, pos, used - at - length);
    } else {
      writeCount(out, count + 1);
    }
    return out;
  }

  /** The leaf without the key's entry; only when {@link #current} is not null. */
  byte[] remove() {
    requirePresent();
    byte[] out = new byte[used - length];
    System.arraycopy(page, 0, out, 0, at);
    System.arraycopy(page, at + length, out, at, used - at - length);
    writeCount(out, count - 1);
    return out;
  }

  /** The leaf with the key's entry expiring at {@code newExpiresAt}; only when {@link #current} is not null. */
  byte[] setExpiry(long newExpiresAt) {
    requirePresent();
    byte[] out = Arrays.copyOf(page, used);
    writeLong(out, at + 1, newExpiresAt);
    return out;
  }

  private void requirePresent() {
    if (at < 0) {
      throw new IllegalStateException("the leaf does not hold the key");
    }
  }

  private static void writeCount(byte[] out, int count) {
    out[2] = (byte) (count >>> 8);
    out[3] = (byte) count;
  }

  private static void writeInt(byte[] b, int pos, int v) {
    b[pos] = (byte) (v >>> 24);
    b[pos + 1] = (byte) (v >>> 16);
    b[pos + 2] = (byte) (v >>> 8);
    b[pos + 3] = (byte) v;
  }

  private static void writeLong(byte[] b, int pos, long v) {
    writeInt(b, pos, (int) (v >>> 32));
    writeInt(b, pos + Integer.BYTES, (int) v);
  }

  private static long readLong(byte[] b, int pos) {
    return ((long) readInt(b, pos) << 32) | (readInt(b, pos + Integer.BYTES) & 0xFFFFFFFFL);
  }

  private static int readInt(byte[] b, int pos) {
    return ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
  }
}
