package io.quire.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class SplitCacheTest {
  private static final long HASH = 0xB5A3_1C77_0F00_D00DL;

  @Test
  void aNewCache_knowsNoSplit_andWalksStartAtTheRoot() {
    SplitCache cache = new SplitCache();
    BucketTrie trie = new BucketTrie(GlobalAddress.of(0), PageSize.DEFAULT, 40);

    assertThat(cache.isSplit(1)).isFalse();
    assertThat(cache.isSplit(BucketTrie.nodeAt(HASH, 30))).isFalse();
    assertThat(trie.startNode(HASH)).isEqualTo(1);
  }

  @Test
  void markingANode_marksItsAncestorsOnly_atEveryDepthOfTheTrie() {
    for (int depth : new int[] {3, 11, 12, 16, 21, 22, 30, 40}) {
      SplitCache cache = new SplitCache();
      long node = BucketTrie.nodeAt(HASH, depth);

      cache.markSplit(node);

      for (int d = 0; d <= depth; d++) {
        assertThat(cache.isSplit(BucketTrie.nodeAt(HASH, d))).as("depth %d of a split at %d", d, depth).isTrue();
        assertThat(cache.isSplit(BucketTrie.nodeAt(~HASH, d))).as("the other side, depth %d", d).isEqualTo(d == 0);
      }
      assertThat(cache.isSplit(2 * node)).isFalse();
      assertThat(cache.isSplit(node ^ 1)).as("the sibling").isFalse();
    }
  }

  @Test
  void aWalk_startsAtTheFirstNodeOfItsPathNotKnownSplit() {
    BucketTrie trie = new BucketTrie(GlobalAddress.of(0), PageSize.DEFAULT, 40);
    trie.sawSplit(BucketTrie.nodeAt(HASH, 17));
    trie.sawSplit(BucketTrie.nodeAt(~HASH, 4));

    assertThat(trie.startNode(HASH)).isEqualTo(BucketTrie.nodeAt(HASH, 18));
    assertThat(trie.startNode(~HASH)).isEqualTo(BucketTrie.nodeAt(~HASH, 5));
    long divergesAtDepth2 = HASH ^ (1L << 61);
    assertThat(trie.startNode(divergesAtDepth2)).isEqualTo(BucketTrie.nodeAt(divergesAtDepth2, 3));
  }

  @Test
  void aWalk_neverStartsBelowTheDepthLimit() {
    BucketTrie trie = new BucketTrie(GlobalAddress.of(0), PageSize.DEFAULT, 6);
    trie.sawSplit(BucketTrie.nodeAt(HASH, 5));

    assertThat(trie.startNode(HASH)).isEqualTo(BucketTrie.nodeAt(HASH, 6));
  }

  @Test
  void threadsMarkingAtOnce_loseNoBit() throws Exception {
    SplitCache cache = new SplitCache();
    int threads = 4;
    List<List<Long>> marked = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(t);
      List<Long> nodes = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        nodes.add(BucketTrie.nodeAt(random.nextLong(), 1 + random.nextInt(30)));
      }
      marked.add(nodes);
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> running = new ArrayList<>();
    for (List<Long> nodes : marked) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        nodes.forEach(cache::markSplit);
      });
      thread.start();
      running.add(thread);
    }
    for (Thread thread : running) {
      thread.join(30_000);
      assertThat(thread.isAlive()).isFalse();
    }

    for (List<Long> nodes : marked) {
      for (long node : nodes) {
        for (long n = node; n >= 1; n >>>= 1) {
          assertThat(cache.isSplit(n)).as("node %d (marked %d)", n, node).isTrue();
        }
      }
    }
  }
}
