package io.quire.jcache.store;

import java.util.Arrays;

/**
 * Finds one key in a leaf page's bytes where they lie, copying only the matching entry: the fast path of a get.
 *
 * <p>It answers only what it can answer alone: a leaf whose entries up to the match are well formed and whose match
 * (if any) is held inline; a miss only when the whole page is well formed. Damage after a match is left to the full
 * decode of the next change or walk of the bucket. Anything else — another kind of bucket, an entry out of line that might be the key, bytes
 * that do not parse — is {@link #UNDECIDED}, and the caller decodes the page the full way, which also reports damage
 * with the address.
 */
final class LeafScan {
  /** The scan cannot decide; decode the bucket. */
  static final StoredEntry UNDECIDED = new StoredEntry(new byte[0], new byte[0], 0);

  private static final int ENTRY_HEAD = 1 + Long.BYTES + Integer.BYTES;

  private LeafScan() {}

  /**
   * The entry of {@code key} in {@code page}, null if the leaf holds no such key, or {@link #UNDECIDED}.
   *
   * @param keyHash the key's {@link KeyHash}, compared with entries whose key lies out of line
   */
  static StoredEntry find(byte[] page, byte[] key, long keyHash) {
    if (page.length < BucketPage.LEAF_HEADER || page[0] != BucketPage.FORMAT || page[1] != BucketPage.KIND_LEAF) {
      return UNDECIDED;
    }
    int count = ((page[2] & 0xFF) << 8) | (page[3] & 0xFF);
    int at = BucketPage.LEAF_HEADER;
    for (int i = 0; i < count; i++) {
      if (at + ENTRY_HEAD > page.length) {
        return UNDECIDED;
      }
      int entry = at;
      int flags = page[at] & 0xFF;
      int keyLength = readInt(page, at + 1 + Long.BYTES);
      at += ENTRY_HEAD;
      if (keyLength < 0 || (flags & ~(Slot.VALUE_OUT | Slot.KEY_OUT)) != 0) {
        return UNDECIDED;
      }
      boolean keyOut = (flags & Slot.KEY_OUT) != 0;
      boolean candidate;
      if (keyOut) {
        if (at + Long.BYTES > page.length) {
          return UNDECIDED;
        }
        candidate = keyLength == key.length && readLong(page, at) == keyHash;
        at += Long.BYTES;
      } else {
        if (keyLength > page.length - at) {
          return UNDECIDED;
        }
        candidate = LeafEdit.sameKey(page, at, keyLength, key);
        at += keyLength;
      }
      if (at + Integer.BYTES > page.length) {
        return UNDECIDED;
      }
      int valueLength = readInt(page, at);
      at += Integer.BYTES;
      boolean valueOut = (flags & Slot.VALUE_OUT) != 0;
      int stored = valueOut ? Ref.BYTES : valueLength;
      if (valueLength < 0 || stored > page.length - at) {
        return UNDECIDED;
      }
      if (candidate) {
        return keyOut || valueOut
            ? UNDECIDED
            : new StoredEntry(key.clone(), Arrays.copyOfRange(page, at, at + valueLength),
                readLong(page, entry + 1));
      }
      at += stored;
    }
    // A miss vouches for the whole page: bytes after the last entry must be zero, as the full decode checks.
    for (int i = at; i < page.length; i++) {
      if (page[i] != 0) {
        return UNDECIDED;
      }
    }
    return null;
  }

  private static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + Integer.BYTES) & 0xFFFFFFFFL);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }
}
