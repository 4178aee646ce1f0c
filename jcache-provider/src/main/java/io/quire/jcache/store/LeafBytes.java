package io.quire.jcache.store;

/**
 * Reading a version 2 leaf's bytes where they lie (see {@code docs/design/cache-pages.md}, "Bucket pages"): the
 * directory walk and the check of one entry that {@link LeafScan} and {@link LeafEdit} share. Stateless.
 */
final class LeafBytes {
  /** The entry holds another key. */
  static final int OTHER = 0;
  /** The entry holds the key, in line, and its value in line. */
  static final int HIT = 1;
  /** The entry may hold the key or holds it out of line, or its bytes do not parse: only the full decode can tell. */
  static final int UNDECIDED = 2;

  /** flags, expiresAt, key length. */
  static final int ENTRY_HEAD = 1 + Long.BYTES + Integer.BYTES;
  /** The smallest entry: an empty key and value in line. */
  static final int MIN_ENTRY = ENTRY_HEAD + Integer.BYTES;

  private LeafBytes() {}

  /** Whether {@code page} is a version 2 leaf whose directory fits in it; the caller then reads {@link #count}. */
  static boolean isLeaf(byte[] page) {
    return page.length >= BucketPage.LEAF_HEADER && page[0] == BucketPage.FORMAT && page[1] == BucketPage.KIND_LEAF
        && entriesAt(count(page)) <= page.length;
  }

  static int count(byte[] page) {
    return ((page[2] & 0xFF) << 8) | (page[3] & 0xFF);
  }

  /** Where the entries of a leaf of {@code count} entries start: after the header and the directory. */
  static int entriesAt(int count) {
    return BucketPage.LEAF_HEADER + BucketPage.RECORD * count;
  }

  /** Where the directory record of entry {@code index} lies. */
  static int recordAt(int index) {
    return BucketPage.LEAF_HEADER + BucketPage.RECORD * index;
  }

  static int record(byte[] page, int index) {
    return readInt(page, recordAt(index));
  }

  /**
   * Checks the entry of {@code length} bytes at {@code at} (which the caller checked lie in the page) as the full
   * decode would, exactly filling its length, and says whether it holds {@code key}.
   */
  static int check(byte[] page, int at, int length, byte[] key, long keyHash) {
    if (length < MIN_ENTRY) {
      return UNDECIDED;
    }
    int end = at + length;
    int flags = page[at] & 0xFF;
    if ((flags & ~(Slot.VALUE_OUT | Slot.KEY_OUT)) != 0 || flags == Slot.KEY_OUT) {
      return UNDECIDED;
    }
    int keyLength = readInt(page, at + 1 + Long.BYTES);
    int pos = at + ENTRY_HEAD;
    boolean keyOut = (flags & Slot.KEY_OUT) != 0;
    boolean valueOut = (flags & Slot.VALUE_OUT) != 0;
    boolean match;
    if (keyOut) {
      if (keyLength < 0 || Long.BYTES > end - pos) {
        return UNDECIDED;
      }
      match = keyLength == key.length && readLong(page, pos) == keyHash;
      pos += Long.BYTES;
    } else {
      if (keyLength < 0 || keyLength > end - pos) {
        return UNDECIDED;
      }
      match = LeafEdit.sameKey(page, pos, keyLength, key);
      pos += keyLength;
    }
    if (Integer.BYTES > end - pos) {
      return UNDECIDED;
    }
    int valueLength = readInt(page, pos);
    pos += Integer.BYTES;
    if (valueLength < 0) {
      return UNDECIDED;
    }
    if (valueOut) {
      if (Ref.BYTES != end - pos) {
        return UNDECIDED;
      }
      int refLength = readInt(page, pos + 2 * Long.BYTES);
      if (refLength < 1 || refLength != (keyOut ? (long) keyLength : 0) + valueLength) {
        return UNDECIDED;
      }
      return match ? UNDECIDED : OTHER;
    }
    if (valueLength != end - pos) {
      return UNDECIDED;
    }
    return match ? HIT : OTHER;
  }

  /** The value's offset in the in-line entry at {@code at} that {@link #check} found a {@link #HIT}. */
  static int valueAt(byte[] page, int at) {
    return at + ENTRY_HEAD + readInt(page, at + 1 + Long.BYTES) + Integer.BYTES;
  }

  static int valueLength(byte[] page, int at) {
    return readInt(page, valueAt(page, at) - Integer.BYTES);
  }

  static long expiresAt(byte[] page, int at) {
    return readLong(page, at + 1);
  }

  /** Whether every byte from {@code from} on is zero, as the full decode requires after the last entry. */
  static boolean zerosFrom(byte[] page, int from) {
    for (int i = from; i < page.length; i++) {
      if (page[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + Integer.BYTES) & 0xFFFFFFFFL);
  }

  static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }
}
