package io.quire.jcache.store;

import java.util.Arrays;

/**
 * One key's place in a leaf page's bytes, and the page's next content after a change of that key, spliced from the
 * bytes where they lie: the fast path of a compute, which neither decodes the other entries into {@link Slot}s nor
 * re-encodes them. The content it makes is byte for byte what {@link BucketPage#encodeLeaf} makes of the decoded
 * entries with the same change (a replaced entry keeps its place, a new one goes last, a removed one closes up).
 *
 * <p>{@link #locate} answers only for a version 2 leaf whose directory it checked against the page, and whose entry of
 * the key, if any, is held wholly in line and checked as {@link BucketPage#decode} would (flags, lengths, refs).
 * Anything else (absent, split or overflowed buckets, a version 1 leaf, damage, an out-of-line key that may be this
 * one, a value out of line) is null, and the caller takes the full way, which rewrites a version 1 leaf in version 2
 * and reports damage with the page's address. Immutable; the page bytes are read, never written.
 */
final class LeafEdit {
  private final byte[] page;
  private final long keyHash;
  private final int count;
  /** The leaf's bytes: header, directory and entries; zeros follow. */
  private final int used;
  /** The key's entry: its index in the directory, or -1 when the leaf does not hold the key. */
  private final int index;
  private final int at;
  private final int length;

  private LeafEdit(byte[] page, long keyHash, int count, int used, int index, int at, int length) {
    this.page = page;
    this.keyHash = keyHash;
    this.count = count;
    this.used = used;
    this.index = index;
    this.at = at;
    this.length = length;
  }

  /**
   * The place of {@code key} in {@code page}, or null when the page is not a well-formed version 2 leaf whose entry of
   * the key (if any) is held in line. A version 1 leaf is null too: the full way rewrites it in version 2.
   *
   * <p>What it checks: the header, that every directory length lies in the page, zeros after the last entry, and the
   * key's entry whole. When the key is absent it checks every entry and compares every key (as {@link LeafScan} does
   * for a miss), so a damaged fingerprint cannot make it append a second entry of the key. When the key is present,
   * the other entries are carried over as they are; damage inside them is found by the next full decode.
   */
  static LeafEdit locate(byte[] page, byte[] key, long keyHash) {
    if (!LeafBytes.isLeaf(page)) {
      return null;
    }
    int count = LeafBytes.count(page);
    int fingerprint = BucketPage.fingerprint(keyHash);
    int pos = LeafBytes.entriesAt(count);
    int index = -1;
    int at = 0;
    int length = 0;
    for (int i = 0; i < count; i++) {
      int record = LeafBytes.record(page, i);
      int entryLength = record & BucketPage.LENGTH_MASK;
      if (entryLength > page.length - pos) {
        return null;
      }
      if (index < 0 && record >>> BucketPage.LENGTH_BITS == fingerprint) {
        int found = LeafBytes.check(page, pos, entryLength, key, keyHash);
        if (found == LeafBytes.UNDECIDED) {
          return null;
        }
        if (found == LeafBytes.HIT) {
          index = i;
          at = pos;
          length = entryLength;
        }
      }
      pos += entryLength;
    }
    if (!LeafBytes.zerosFrom(page, pos) || (index < 0 && !LeafScan.noEntryHolds(page, count, key, keyHash))) {
      return null;
    }
    return new LeafEdit(page, keyHash, count, pos, index, at, length);
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
    return index >= 0;
  }

  /** The key's entry with fresh arrays, or null when the leaf does not hold the key. */
  StoredEntry current(byte[] key) {
    if (index < 0) {
      return null;
    }
    int valueAt = LeafBytes.valueAt(page, at);
    return new StoredEntry(key.clone(), Arrays.copyOfRange(page, valueAt, valueAt + LeafBytes.valueLength(page, at)),
        LeafBytes.expiresAt(page, at));
  }

  /**
   * The leaf with the key's entry replaced by (or, if absent, followed by) an in-line entry of {@code value}; null if
   * that leaf would not fit in {@code pageBytes} or hold too many entries. The caller checked the placement rule.
   */
  byte[] put(byte[] key, byte[] value, long newExpiresAt, int pageBytes) {
    long entry = Slot.inlineBytes(key.length, value.length);
    long next = index < 0 ? used + BucketPage.RECORD + entry : used - length + entry;
    if (next > pageBytes || (index < 0 && count >= BucketPage.MAX_LEAF_ENTRIES)) {
      return null;
    }
    byte[] out = new byte[(int) next];
    int record = BucketPage.record(BucketPage.fingerprint(keyHash), (int) entry);
    if (index >= 0) {
      // Only the entry's directory record and bytes change; what follows it moves by the change of its length.
      System.arraycopy(page, 0, out, 0, at);
      writeInt(out, LeafBytes.recordAt(index), record);
      int pos = writeEntry(out, at, key, value, newExpiresAt);
      System.arraycopy(page, at + length, out, pos, used - at - length);
    } else {
      // A new last record moves every entry on by one record; the new entry goes last.
      int entriesAt = LeafBytes.entriesAt(count);
      System.arraycopy(page, 0, out, 0, entriesAt);
      writeInt(out, entriesAt, record);
      System.arraycopy(page, entriesAt, out, entriesAt + BucketPage.RECORD, used - entriesAt);
      writeEntry(out, used + BucketPage.RECORD, key, value, newExpiresAt);
      writeCount(out, count + 1);
    }
    return out;
  }

  private static int writeEntry(byte[] out, int pos, byte[] key, byte[] value, long expiresAt) {
    out[pos] = 0;
    writeLong(out, pos + 1, expiresAt);
    writeInt(out, pos + 1 + Long.BYTES, key.length);
    pos += LeafBytes.ENTRY_HEAD;
    System.arraycopy(key, 0, out, pos, key.length);
    pos += key.length;
    writeInt(out, pos, value.length);
    pos += Integer.BYTES;
    System.arraycopy(value, 0, out, pos, value.length);
    return pos + value.length;
  }

  /** The leaf without the key's entry and its directory record; only when {@link #current} is not null. */
  byte[] remove() {
    requirePresent();
    byte[] out = new byte[used - length - BucketPage.RECORD];
    int recordAt = LeafBytes.recordAt(index);
    System.arraycopy(page, 0, out, 0, recordAt);
    System.arraycopy(page, recordAt + BucketPage.RECORD, out, recordAt, at - recordAt - BucketPage.RECORD);
    System.arraycopy(page, at + length, out, at - BucketPage.RECORD, used - at - length);
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
    if (index < 0) {
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
}
