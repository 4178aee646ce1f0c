package io.quire.jcache.store;

import io.quire.core.memory.Memory;
import io.quire.core.memory.PageUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * The writing side of one store: the bucket form of a new entry (in line or out of line, by the placement rule) and
 * the pages of a leaf's new content, split or overflowed as its size demands (see {@code docs/design/cache-pages.md},
 * "Operations"). Its callers hold the lock of the bucket being written.
 *
 * <p>Thread-safe: its only mutable state is the trie's split cache, which is.
 */
final class BucketWriter {
  private final Memory memory;
  private final StoreDescriptor descriptor;
  private final BucketTrie trie;
  private final ValueRanges ranges;

  BucketWriter(Memory memory, StoreDescriptor descriptor, BucketTrie trie, ValueRanges ranges) {
    this.memory = memory;
    this.descriptor = descriptor;
    this.trie = trie;
    this.ranges = ranges;
  }

  /** The bucket form of a new entry: in line if it is small enough, else with its value (and maybe key) out of line. */
  Slot newSlot(byte[] key, long hash, byte[] value, long expiresAt) {
    int limit = descriptor.inlineLimit();
    if (Slot.inlineBytes(key.length, value.length) <= limit) {
      return Slot.inline(key.clone(), value.clone(), expiresAt);
    }
    if (Slot.valueOutBytes(key.length) <= limit) {
      return Slot.valueOut(key.clone(), value.length, expiresAt, ranges.write(ValueRanges.KIND_ENTRY, value));
    }
    return Slot.keyOut(key.length, hash, value.length, expiresAt, ranges.write(ValueRanges.KIND_ENTRY, key, value));
  }

  /**
   * Writes {@code slots} as the content of {@code node}, which the caller has locked (or which no bucket reaches yet):
   * a leaf if they fit in a page; else, below the depth limit, two children first and then the split mark; at the
   * depth limit, an overflowed leaf whose entries lie in a range of their own.
   */
  void place(long node, List<Slot> slots) {
    if (BucketPage.fits(slots, descriptor.pageSize().bytes())) {
      writePage(node, BucketPage.encodeLeaf(slots));
      return;
    }
    if (trie.atDepthLimit(node)) {
      Ref entries = ranges.write(ValueRanges.KIND_BUCKET, BucketPage.encodeSlots(slots));
      writePage(node, BucketPage.encodeOverflow(entries, slots.size()));
      return;
    }
    List<Slot> left = new ArrayList<>();
    List<Slot> right = new ArrayList<>();
    for (Slot slot : slots) {
      (BucketTrie.child(node, slot.hash()) % 2 == 0 ? left : right).add(slot);
    }
    place(2 * node, left);
    place(2 * node + 1, right);
    writePage(node, BucketPage.encodeSplit());
    trie.sawSplit(node);
  }

  void writePage(long node, byte[] content) {
    // An update replaces the whole page, so no byte of an earlier, longer content stays behind the new one.
    memory.update(trie.address(node), PageUpdate.replaceWith(content));
  }
}
