package io.quire.jcache.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The buckets one store instance has seen split: a bitmap over trie node numbers, in chunks made on first use, so a
 * small store costs next to nothing and a store of a million entries (half a million splits, mostly on the upper
 * levels, which lie together) costs well under a megabyte.
 *
 * <p>Concurrency: monotone. Bits are only ever set (a split is permanent), by CAS; a reader that does not yet see a
 * bit reads one page more and sets it. Every set bit is true of the store, and so are the bits of all ancestors of a
 * set node (a node is split only after its parent was); {@link BucketTrie#startNode} relies on exactly that, not on
 * seeing the ancestors' bits, which {@link #markSplit} sets after the node's own.
 */
final class SplitCache {
  private static final int CHUNK_SHIFT = 12;
  private static final int CHUNK_LONGS = (1 << CHUNK_SHIFT) / Long.SIZE;

  /**
   * The chunk of nodes 0..4095 (the trie's top 12 levels), always there: every walk's binary search probes it, and a
   * field is cheaper than a map lookup. 512 bytes per store instance.
   */
  private final AtomicLongArray first = new AtomicLongArray(CHUNK_LONGS);
  private final ConcurrentHashMap<Long, AtomicLongArray> chunks = new ConcurrentHashMap<>();

  /** Whether this instance knows {@code node} to be split. */
  boolean isSplit(long node) {
    AtomicLongArray chunk = chunkOf(node);
    return chunk != null && (chunk.get(wordOf(node)) & bitOf(node)) != 0;
  }

  /** Records that {@code node}, and so each of its ancestors, is split. */
  void markSplit(long node) {
    for (long n = node; n >= 1 && set(n); n >>>= 1) {
      // An ancestor already set has its own ancestors set, or being set by the thread that set it.
    }
  }

  /** Sets one bit; false when it was already set. */
  private boolean set(long node) {
    AtomicLongArray chunk = node >>> CHUNK_SHIFT == 0 ? first
        : chunks.computeIfAbsent(node >>> CHUNK_SHIFT, c -> new AtomicLongArray(CHUNK_LONGS));
    int word = wordOf(node);
    long bit = bitOf(node);
    return (chunk.getAndAccumulate(word, bit, (a, b) -> a | b) & bit) == 0;
  }

  private AtomicLongArray chunkOf(long node) {
    long index = node >>> CHUNK_SHIFT;
    return index == 0 ? first : chunks.get(index);
  }

  private static int wordOf(long node) {
    return (int) (node & ((1 << CHUNK_SHIFT) - 1)) >>> 6;
  }

  private static long bitOf(long node) {
    return 1L << (node & 63);
  }
}
