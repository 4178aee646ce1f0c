package io.quire.benchmarks;

import io.quire.core.address.GlobalAddress;
import java.util.Random;

/** Shared helpers for building key sets. */
final class Keys {
  private Keys() {}

  /**
   * {@code count} addresses drawn from {@code keys} in a random order (a shuffled cycle when {@code count} equals
   * the key count), each a fresh instance equal to its key: callers of a cache never hold the stored key object, so
   * every lookup pays the real {@code equals}. {@code count} must be a power of two so callers can mask the index.
   */
  static GlobalAddress[] shuffledCopies(GlobalAddress[] keys, int count, long seed) {
    if (Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count must be a power of two: " + count);
    }
    Random random = new Random(seed);
    GlobalAddress[] out = new GlobalAddress[count];
    if (count == keys.length) {
      int[] order = new int[count];
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      for (int i = count - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int i = 0; i < count; i++) {
        GlobalAddress k = keys[order[i]];
        out[i] = new GlobalAddress(k.hi(), k.lo());
      }
    } else {
      for (int i = 0; i < count; i++) {
        GlobalAddress k = keys[random.nextInt(keys.length)];
        out[i] = new GlobalAddress(k.hi(), k.lo());
      }
    }
    return out;
  }

  /** A full page of non-zero bytes, so checksums and copies do their real work. */
  static byte[] fullPage(int pageBytes, int seed) {
    byte[] bytes = new byte[pageBytes];
    new Random(seed).nextBytes(bytes);
    bytes[0] = 1;
    return bytes;
  }
}
