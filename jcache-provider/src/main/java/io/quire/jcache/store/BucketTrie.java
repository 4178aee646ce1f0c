package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;

/**
 * Navigation of the implicit binary trie of buckets laid out in a store's range (see {@code docs/design/cache-pages.md},
 * "The bucket trie"). Nodes are numbered as in a binary heap: the root is 1, the children of {@code n} are {@code 2n}
 * and {@code 2n+1}, so node {@code n} is at depth {@code floor(log2 n)} and lives in page {@code n} of the range (page
 * 0 is the descriptor). Going down from depth {@code d} follows bit {@code 63-d} of the key's hash.
 *
 * <p>Thread-safe: immutable but for the {@link SplitCache}, which is.
 */
final class BucketTrie {
  private final GlobalAddress rangeStart;
  private final PageSize pageSize;
  private final int depthLimit;
  private final SplitCache splits = new SplitCache();

  BucketTrie(GlobalAddress rangeStart, PageSize pageSize, int depthLimit) {
    this.rangeStart = requireNonNull(rangeStart, "rangeStart");
    this.pageSize = requireNonNull(pageSize, "pageSize");
    this.depthLimit = depthLimit;
  }

  /** The page of node {@code node}. */
  GlobalAddress address(long node) {
    return rangeStart.plusPages(node, pageSize);
  }

  static int depth(long node) {
    return 63 - Long.numberOfLeadingZeros(node);
  }

  boolean atDepthLimit(long node) {
    return depth(node) == depthLimit;
  }

  /** The node at {@code depth} on the path of {@code hash}. */
  static long nodeAt(long hash, int depth) {
    return depth == 0 ? 1 : (1L << depth) | (hash >>> (64 - depth));
  }

  /** The child of {@code node} on the path of {@code hash}. */
  static long child(long node, long hash) {
    return 2 * node + ((hash >>> (63 - depth(node))) & 1);
  }

  /**
   * The node where a walk for {@code hash} starts: the first node of its path not known to be split. In steady state it
   * is the key's leaf, so a lookup reads one page.
   *
   * <p>Binary search over the depth. The cache may show a node split and not (yet) its parent, so the predicate is not
   * monotone to this thread; but every step that moves {@code low} up saw the node above {@code low} split, and bits
   * are never cleared, so the node returned always has a split parent (or is the root): it is on the key's path, and
   * the walk only ever goes down from it.
   */
  long startNode(long hash) {
    int low = 0;
    int high = depthLimit;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (splits.isSplit(nodeAt(hash, mid))) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return nodeAt(hash, low);
  }

  /** Records that {@code node} was read split. */
  void sawSplit(long node) {
    splits.markSplit(node);
  }

  int depthLimit() {
    return depthLimit;
  }
}
