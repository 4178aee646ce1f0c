package io.quire.jcache.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hash that places a key in the bucket trie: XXH64 (Yann Collet's xxHash, 64-bit variant) with seed 0 over the
 * key's serialised bytes, never {@code Object.hashCode}, which differs between JVMs.
 *
 * <p>Part of the stored format ({@code docs/design/cache-pages.md}): a store's descriptor names hash function 1, and
 * every bucket of every store on disk was chosen by it. Never change this code; a different hash is a new function id.
 * {@code KeyHashTest} pins it against the reference implementation's values.
 */
final class KeyHash {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long PRIME1 = 0x9E3779B185EBCA87L;
  private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;
  private static final long PRIME3 = 0x165667B19E3779F9L;
  private static final long PRIME4 = 0x85EBCA77C2B2AE63L;
  private static final long PRIME5 = 0x27D4EB2F165667C5L;

  /** The id of this function in a store descriptor. */
  static final int FUNCTION_ID = 1;

  private KeyHash() {}

  /** XXH64 of {@code key} with seed 0. */
  static long of(byte[] key) {
    int length = key.length;
    int p = 0;
    long h;
    if (length >= 32) {
      long v1 = PRIME1 + PRIME2;
      long v2 = PRIME2;
      long v3 = 0;
      long v4 = -PRIME1;
      int limit = length - 32;
      do {
        v1 = round(v1, getLong(key, p));
        v2 = round(v2, getLong(key, p + 8));
        v3 = round(v3, getLong(key, p + 16));
        v4 = round(v4, getLong(key, p + 24));
        p += 32;
      } while (p <= limit);
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = mergeRound(h, v1);
      h = mergeRound(h, v2);
      h = mergeRound(h, v3);
      h = mergeRound(h, v4);
    } else {
      h = PRIME5;
    }
    h += length;
    while (p + 8 <= length) {
      h ^= round(0, getLong(key, p));
      h = Long.rotateLeft(h, 27) * PRIME1 + PRIME4;
      p += 8;
    }
    if (p + 4 <= length) {
      h ^= (getInt(key, p) & 0xFFFFFFFFL) * PRIME1;
      h = Long.rotateLeft(h, 23) * PRIME2 + PRIME3;
      p += 4;
    }
    while (p < length) {
      h ^= (key[p] & 0xFFL) * PRIME5;
      h = Long.rotateLeft(h, 11) * PRIME1;
      p++;
    }
    h ^= h >>> 33;
    h *= PRIME2;
    h ^= h >>> 29;
    h *= PRIME3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * PRIME2;
    acc = Long.rotateLeft(acc, 31);
    return acc * PRIME1;
  }

  private static long mergeRound(long acc, long val) {
    acc ^= round(0, val);
    return acc * PRIME1 + PRIME4;
  }

  /** Little-endian, as the reference reads its input. */
  private static long getLong(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  private static int getInt(byte[] b, int i) {
    return (int) INTS.get(b, i);
  }
}
