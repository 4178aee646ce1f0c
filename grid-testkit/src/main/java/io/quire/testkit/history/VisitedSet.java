package io.quire.testkit.history;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The configurations the search has already explored: (set of linearized operations, register state) pairs, as in
 * Lowe's improvement of Wing & Gong. Reaching a configuration twice cannot lead anywhere new, because what remains to
 * be linearized and the state it starts from are the same.
 *
 * <p>Linearized sets are mostly "every operation up to some point, plus a few beyond it", so a key stores only the
 * count of leading all-ones words and the words after them, not the whole bitset.
 */
final class VisitedSet {

  private final Set<Key> keys = new HashSet<>();

  /** Adds the configuration; false if it was already there. {@code hash} is a Zobrist hash of {@code words}. */
  boolean add(long[] words, long state, long hash) {
    int lo = 0;
    while (lo < words.length && words[lo] == -1L) {
      lo++;
    }
    int hi = words.length;
    while (hi > lo && words[hi - 1] == 0) {
      hi--;
    }
    return keys.add(new Key(lo, Arrays.copyOfRange(words, lo, hi), state, hash));
  }

  int size() {
    return keys.size();
  }

  private static final class Key {
    private final int fullWords;
    private final long[] tail;
    private final long state;
    private final int hashCode;

    Key(int fullWords, long[] tail, long state, long hash) {
      this.fullWords = fullWords;
      this.tail = tail;
      this.state = state;
      this.hashCode = Long.hashCode(Zobrist.mix(hash ^ Zobrist.mix(state)));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hashCode == hashCode && k.state == state && k.fullWords == fullWords
          && Arrays.equals(k.tail, tail);
    }

    @Override
    public int hashCode() {
      return hashCode;
    }
  }
}
