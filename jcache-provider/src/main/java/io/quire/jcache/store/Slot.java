package io.quire.jcache.store;

import io.quire.core.address.GlobalAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One entry as a bucket holds it (see {@code docs/design/cache-pages.md}, "Entries"): in line, or with its value (and,
 * for a large key, its key too) in a range of its own that {@link #ref()} names. Immutable but for a cached hash; the
 * arrays are private copies, never views of a page, and are never modified.
 */
final class Slot {
  static final int VALUE_OUT = 1;
  static final int KEY_OUT = 2;

  /** flags, expiresAt, key length, value length. */
  private static final int FIXED = 1 + Long.BYTES + Integer.BYTES + Integer.BYTES;
  /** The bucket form of an entry whose key and value are both out of line. */
  static final int KEY_OUT_BYTES = FIXED + Long.BYTES + Ref.BYTES;

  private final int flags;
  private final long expiresAt;
  private final int keyLength;
  private final byte[] key;
  private final long keyHash;
  private final int valueLength;
  private final byte[] value;
  private final Ref ref;
  /**
   * The in-line key's hash once computed (the directory's fingerprint and a split both need it), else 0. One field, as
   * String's hash, volatile so that a long is never seen torn: a racing thread sees 0 or the value, and computes the
   * same value again at worst.
   */
  private volatile long inlineHash;

  private Slot(int flags, long expiresAt, int keyLength, byte[] key, long keyHash, int valueLength, byte[] value,
      Ref ref) {
    this.flags = flags;
    this.expiresAt = expiresAt;
    this.keyLength = keyLength;
    this.key = key;
    this.keyHash = keyHash;
    this.valueLength = valueLength;
    this.value = value;
    this.ref = ref;
  }

  /** An entry held wholly in the bucket; takes ownership of both arrays. */
  static Slot inline(byte[] key, byte[] value, long expiresAt) {
    return new Slot(0, expiresAt, key.length, key, 0, value.length, value, null);
  }

  /** An entry whose value lies in {@code ref}; takes ownership of {@code key}. */
  static Slot valueOut(byte[] key, int valueLength, long expiresAt, Ref ref) {
    return new Slot(VALUE_OUT, expiresAt, key.length, key, 0, valueLength, null, ref);
  }

  /** An entry whose key, then value, lie in {@code ref}. */
  static Slot keyOut(int keyLength, long keyHash, int valueLength, long expiresAt, Ref ref) {
    return new Slot(VALUE_OUT | KEY_OUT, expiresAt, keyLength, null, keyHash, valueLength, null, ref);
  }

  /** Bucket bytes of an entry held in line. */
  static long inlineBytes(int keyLength, int valueLength) {
    return (long) FIXED + keyLength + valueLength;
  }

  /** Bucket bytes of an entry whose value is out of line. */
  static long valueOutBytes(int keyLength) {
    return (long) FIXED + keyLength + Ref.BYTES;
  }

  /** The same entry with another expiry instant; shares the bytes and the range. */
  Slot withExpiresAt(long newExpiresAt) {
    return new Slot(flags, newExpiresAt, keyLength, key, keyHash, valueLength, value, ref);
  }

  boolean keyOutOfLine() {
    return (flags & KEY_OUT) != 0;
  }

  boolean valueOutOfLine() {
    return (flags & VALUE_OUT) != 0;
  }

  long expiresAt() {
    return expiresAt;
  }

  int keyLength() {
    return keyLength;
  }

  int valueLength() {
    return valueLength;
  }

  /** The key bytes when held in line, else null. */
  byte[] key() {
    return key;
  }

  /** The value bytes when held in line, else null. */
  byte[] value() {
    return value;
  }

  /** The out-of-line range, or null for an entry held wholly in line. */
  Ref ref() {
    return ref;
  }

  /** The key's hash, which places the entry in the trie. */
  long hash() {
    if (keyOutOfLine()) {
      return keyHash;
    }
    long hash = inlineHash;
    if (hash == 0) {
      hash = KeyHash.of(key);
      inlineHash = hash;
    }
    return hash;
  }

  /**
   * False when this slot certainly holds another key; true when it holds {@code candidate} (key in line) or may hold it
   * (key out of line with the same length and hash: the caller compares the range's bytes).
   */
  boolean mayHold(byte[] candidate, long candidateHash) {
    if (keyOutOfLine()) {
      return keyLength == candidate.length && keyHash == candidateHash;
    }
    return Arrays.equals(key, candidate);
  }

  /** The size of this entry's bucket form. */
  int encodedBytes() {
    if (keyOutOfLine()) {
      return KEY_OUT_BYTES;
    }
    return (int) (valueOutOfLine() ? valueOutBytes(keyLength) : inlineBytes(keyLength, valueLength));
  }

  /** Writes the bucket form (format in {@code docs/design/cache-pages.md}). */
  void writeTo(ByteBuffer out) {
    out.put((byte) flags).putLong(expiresAt).putInt(keyLength);
    if (keyOutOfLine()) {
      out.putLong(keyHash);
    } else {
      out.put(key);
    }
    out.putInt(valueLength);
    if (valueOutOfLine()) {
      // Two big-endian longs are GlobalAddress's 16-byte form.
      out.putLong(ref.start().hi()).putLong(ref.start().lo()).putInt(ref.length()).putInt(ref.crc());
    } else {
      out.put(value);
    }
  }

  /**
   * Reads one bucket form at {@code in}'s position, checking every length against the bytes left before it allocates.
   *
   * @param where the page (or range) being decoded, for the message
   * @throws StoreFormatException if the bytes are not a valid entry
   */
  static Slot readFrom(ByteBuffer in, GlobalAddress where, int index) {
    need(in, FIXED - Integer.BYTES, where, index);
    int flags = in.get() & 0xFF;
    if ((flags & ~(VALUE_OUT | KEY_OUT)) != 0 || flags == KEY_OUT) {
      throw corrupt(where, index, "has unknown flags 0x" + Integer.toHexString(flags));
    }
    long expiresAt = in.getLong();
    int keyLength = in.getInt();
    if (keyLength < 0) {
      throw corrupt(where, index, "has a negative key length " + keyLength);
    }
    byte[] key = null;
    long keyHash = 0;
    if ((flags & KEY_OUT) != 0) {
      need(in, Long.BYTES, where, index);
      keyHash = in.getLong();
    } else {
      need(in, keyLength, where, index);
      key = new byte[keyLength];
      in.get(key);
    }
    need(in, Integer.BYTES, where, index);
    int valueLength = in.getInt();
    if (valueLength < 0) {
      throw corrupt(where, index, "has a negative value length " + valueLength);
    }
    if ((flags & VALUE_OUT) == 0) {
      need(in, valueLength, where, index);
      byte[] value = new byte[valueLength];
      in.get(value);
      return inline(key, value, expiresAt);
    }
    need(in, Ref.BYTES, where, index);
    GlobalAddress start = new GlobalAddress(in.getLong(), in.getLong());
    int refLength = in.getInt();
    int crc = in.getInt();
    long expected = (key == null ? (long) keyLength : 0) + valueLength;
    if (refLength != expected || refLength < 1) {
      throw corrupt(where, index, "points to " + refLength + " out-of-line bytes where its lengths say " + expected);
    }
    Ref ref = new Ref(start, refLength, crc);
    return key == null ? keyOut(keyLength, keyHash, valueLength, expiresAt, ref)
        : valueOut(key, valueLength, expiresAt, ref);
  }

  private static void need(ByteBuffer in, int bytes, GlobalAddress where, int index) {
    if (in.remaining() < bytes) {
      throw corrupt(where, index, "runs past the end of its bytes (needs " + bytes + ", " + in.remaining()
          + " left)");
    }
  }

  private static StoreFormatException corrupt(GlobalAddress where, int index, String problem) {
    return new StoreFormatException(where, "entry " + index + " " + problem + ": the page is damaged");
  }
}
