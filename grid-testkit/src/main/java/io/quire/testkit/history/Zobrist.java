package io.quire.testkit.history;

/** Hashing helpers: a set's hash is the XOR of its members' mixed ids, so adding or removing one is O(1). */
final class Zobrist {

  private Zobrist() {
  }

  /** The hash contribution of member {@code i}. */
  static long of(int i) {
    return mix(i + 0x9E3779B97F4A7C15L);
  }

  /** SplitMix64's finalizer: a cheap, well-spread bijection on longs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
