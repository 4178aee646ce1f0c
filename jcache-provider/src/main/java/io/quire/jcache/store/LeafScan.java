package io.quire.jcache.store;

import java.util.Arrays;

/**
 * Finds one key in a leaf page's bytes where they lie: the fast path of a get, which copies (or hands out) only the
 * matching entry's value.
 *
 * <p>It answers only what it can answer alone: a leaf whose match (if any) is held in line and checked whole; a miss
 * only when the whole page is well formed and no entry holds the key. Anything else — another kind of bucket, an entry
 * out of line that might be the key, bytes that do not parse — is undecided, and the caller decodes the page the full
 * way, which also reports damage with the address.
 *
 * <p>In a version 2 leaf a hit reads the directory up to the entry whose fingerprint matches and compares that entry's
 * key only. A miss does not trust the fingerprints: it checks every entry and compares every key, so an entry whose
 * fingerprint was damaged can never hide its key (the full decode then reports the bad fingerprint). In a version 1
 * leaf every entry is read in turn, up to the match. Damage after a match is left to the full decode of the next
 * change or walk of the bucket.
 */
final class LeafScan {
  /** The scan cannot decide; decode the bucket. */
  static final StoredEntry UNDECIDED = new StoredEntry(new byte[0], new byte[0], 0);

  /** {@link #locate}: the leaf holds no such key. */
  static final int MISS = -1;
  /** {@link #locate}: the scan cannot decide; decode the bucket. */
  static final int NOT_DECIDED = -2;

  private LeafScan() {}

  /**
   * The entry of {@code key} in {@code page}, with fresh arrays, null if the leaf holds no such key, or
   * {@link #UNDECIDED}.
   *
   * @param keyHash the key's {@link KeyHash}
   */
  static StoredEntry find(byte[] page, byte[] key, long keyHash) {
    int at = locate(page, key, keyHash);
    if (at == MISS) {
      return null;
    }
    if (at == NOT_DECIDED) {
      return UNDECIDED;
    }
    int valueAt = LeafBytes.valueAt(page, at);
    return new StoredEntry(key.clone(), Arrays.copyOfRange(page, valueAt, valueAt + LeafBytes.valueLength(page, at)),
        LeafBytes.expiresAt(page, at));
  }

  /**
   * The offset in {@code page} of the in-line entry of {@code key}, whose value lies wholly in line (read it with
   * {@link LeafBytes#valueAt}, {@link LeafBytes#valueLength} and {@link LeafBytes#expiresAt}); {@link #MISS}; or
   * {@link #NOT_DECIDED}.
   */
  static int locate(byte[] page, byte[] key, long keyHash) {
    if (page.length >= BucketPage.LEAF_HEADER && page[0] == BucketPage.FORMAT_V1) {
      return locateV1(page, key, keyHash);
    }
    if (!LeafBytes.isLeaf(page)) {
      return NOT_DECIDED;
    }
    int count = LeafBytes.count(page);
    int fingerprint = BucketPage.fingerprint(keyHash);
    int at = LeafBytes.entriesAt(count);
    for (int i = 0; i < count; i++) {
      int record = LeafBytes.record(page, i);
      int length = record & BucketPage.LENGTH_MASK;
      if (length > page.length - at) {
        return NOT_DECIDED;
      }
      if (record >>> BucketPage.LENGTH_BITS == fingerprint) {
        int found = LeafBytes.check(page, at, length, key, keyHash);
        if (found == LeafBytes.HIT) {
          return at;
        }
        if (found == LeafBytes.UNDECIDED) {
          return NOT_DECIDED;
        }
      }
      at += length;
    }
    return LeafBytes.zerosFrom(page, at) && noEntryHolds(page, count, key, keyHash) ? MISS : NOT_DECIDED;
  }

  /**
   * Whether every entry of a version 2 leaf (whose lengths the caller checked lie in the page) is well formed and holds
   * another key, whatever its fingerprint says.
   */
  static boolean noEntryHolds(byte[] page, int count, byte[] key, long keyHash) {
    int at = LeafBytes.entriesAt(count);
    for (int i = 0; i < count; i++) {
      int length = LeafBytes.record(page, i) & BucketPage.LENGTH_MASK;
      if (LeafBytes.check(page, at, length, key, keyHash) != LeafBytes.OTHER) {
        return false;
      }
      at += length;
    }
    return true;
  }

  private static int locateV1(byte[] page, byte[] key, long keyHash) {
    if (page[1] != BucketPage.KIND_LEAF) {
      return NOT_DECIDED;
    }
    int count = LeafBytes.count(page);
    int at = BucketPage.LEAF_HEADER;
    for (int i = 0; i < count; i++) {
      if (at + LeafBytes.ENTRY_HEAD > page.length) {
        return NOT_DECIDED;
      }
      int entry = at;
      int flags = page[at] & 0xFF;
      int keyLength = LeafBytes.readInt(page, at + 1 + Long.BYTES);
      at += LeafBytes.ENTRY_HEAD;
      if (keyLength < 0 || (flags & ~(Slot.VALUE_OUT | Slot.KEY_OUT)) != 0) {
        return NOT_DECIDED;
      }
      boolean keyOut = (flags & Slot.KEY_OUT) != 0;
      boolean candidate;
      if (keyOut) {
        if (at + Long.BYTES > page.length) {
          return NOT_DECIDED;
        }
        candidate = keyLength == key.length && LeafBytes.readLong(page, at) == keyHash;
        at += Long.BYTES;
      } else {
        if (keyLength > page.length - at) {
          return NOT_DECIDED;
        }
        candidate = LeafEdit.sameKey(page, at, keyLength, key);
        at += keyLength;
      }
      if (at + Integer.BYTES > page.length) {
        return NOT_DECIDED;
      }
      int valueLength = LeafBytes.readInt(page, at);
      at += Integer.BYTES;
      boolean valueOut = (flags & Slot.VALUE_OUT) != 0;
      int stored = valueOut ? Ref.BYTES : valueLength;
      if (valueLength < 0 || stored > page.length - at) {
        return NOT_DECIDED;
      }
      if (candidate) {
        return keyOut || valueOut ? NOT_DECIDED : entry;
      }
      at += stored;
    }
    // A miss vouches for the whole page: bytes after the last entry must be zero, as the full decode checks.
    return LeafBytes.zerosFrom(page, at) ? MISS : NOT_DECIDED;
  }
}
