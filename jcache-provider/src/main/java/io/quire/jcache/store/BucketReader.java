package io.quire.jcache.store;

import io.quire.core.address.GlobalAddress;
import io.quire.core.memory.Memory;
import io.quire.core.memory.UnallocatedAddressException;
import io.quire.core.page.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reading side of one store: bucket pages decoded, keys found in them, entries built from them with their
 * out-of-line ranges, and the rule for a range that cannot be read (see {@code docs/design/cache-pages.md},
 * "Operations"). Never locks.
 *
 * <p>Thread-safe: its only mutable state is the trie's split cache, which is.
 */
final class BucketReader {
  private final Memory memory;
  private final GlobalAddress rangeStart;
  private final StoreDescriptor descriptor;
  private final BucketTrie trie;
  private final ValueRanges ranges;

  BucketReader(Memory memory, GlobalAddress rangeStart, StoreDescriptor descriptor, BucketTrie trie,
      ValueRanges ranges) {
    this.memory = memory;
    this.rangeStart = rangeStart;
    this.descriptor = descriptor;
    this.trie = trie;
    this.ranges = ranges;
  }

  /** One key's slot in a leaf: its position, and the content of its range if matching the key required reading it. */
  static final class Match {
    final Slot slot;
    final int index;
    final byte[] content;

    Match(Slot slot, int index, byte[] content) {
      this.slot = slot;
      this.index = index;
      this.content = content;
    }
  }

  /** The bucket page of {@code node} as it is now; a split one is recorded in the trie's split cache. */
  Bucket read(long node) {
    return decode(node, page(node));
  }

  /** The bucket page of {@code node} as it is now, undecoded. */
  Page page(long node) {
    try {
      return memory.read(trie.address(node));
    } catch (UnallocatedAddressException e) {
      throw destroyed(e);
    }
  }

  /** {@code page}, read from {@code node}, decoded; a split one is recorded in the trie's split cache. */
  Bucket decode(long node, Page page) {
    Bucket bucket = BucketPage.decode(trie.address(node), page, trie.atDepthLimit(node));
    if (bucket.isSplit()) {
      trie.sawSplit(node);
    }
    return bucket;
  }

  /** The entries of a leaf; an overflowed leaf's come from its range. */
  List<Slot> slotsOf(Bucket bucket) {
    Ref overflow = bucket.overflow();
    if (overflow == null) {
      return bucket.slots();
    }
    byte[] content = ranges.read(overflow, ValueRanges.KIND_BUCKET);
    return BucketPage.decodeSlots(overflow.start(), content, bucket.overflowCount());
  }

  /** The slot of {@code key}, or null; a key held out of line is compared with its range's bytes. */
  Match match(List<Slot> slots, byte[] key, long hash) {
    for (int i = 0; i < slots.size(); i++) {
      Slot slot = slots.get(i);
      if (!slot.mayHold(key, hash)) {
        continue;
      }
      if (!slot.keyOutOfLine()) {
        return new Match(slot, i, null);
      }
      byte[] content = ranges.read(slot.ref(), ValueRanges.KIND_ENTRY);
      if (Arrays.equals(content, 0, key.length, key, 0, key.length)) {
        return new Match(slot, i, content);
      }
    }
    return null;
  }

  /** The entry a slot holds, with fresh arrays that belong to the caller; reads the value's range if need be. */
  StoredEntry entryOf(Match match) {
    Slot slot = match.slot;
    if (!slot.valueOutOfLine()) {
      return new StoredEntry(slot.key().clone(), slot.value().clone(), slot.expiresAt());
    }
    byte[] content = match.content != null ? match.content : ranges.read(slot.ref(), ValueRanges.KIND_ENTRY);
    if (!slot.keyOutOfLine()) {
      return new StoredEntry(slot.key().clone(), content, slot.expiresAt());
    }
    return new StoredEntry(Arrays.copyOfRange(content, 0, slot.keyLength()),
        Arrays.copyOfRange(content, slot.keyLength(), content.length), slot.expiresAt());
  }

  /** The content of the range of an entry whose key is out of line: its key, then its value. */
  byte[] entryRange(Slot slot) {
    return ranges.read(slot.ref(), ValueRanges.KIND_ENTRY);
  }

  /**
   * After a range of {@code bucket} could not be read: the bucket as it is now, which a writer must have changed,
   * since ranges are freed only after their bucket stops pointing to them; else the range is damaged.
   */
  Bucket reread(long node, Bucket bucket, RangeUnreadableException e) {
    Bucket again = read(node);
    if (again.version() == bucket.version()) {
      throw damaged(node, e);
    }
    return again;
  }

  /** Every out-of-line range a leaf points to, its overflow range included; the caller holds the leaf's lock. */
  List<Ref> refsOf(long node, Bucket bucket) {
    List<Ref> refs = new ArrayList<>();
    try {
      for (Slot slot : slotsOf(bucket)) {
        if (slot.ref() != null) {
          refs.add(slot.ref());
        }
      }
    } catch (RangeUnreadableException e) {
      throw damaged(node, e);
    }
    if (bucket.overflow() != null) {
      refs.add(bucket.overflow());
    }
    return refs;
  }

  /** A bucket points to a range it cannot read: damage, unless a destroy is freeing the store under us. */
  RuntimeException damaged(long node, RangeUnreadableException e) {
    try {
      if (StoreDescriptor.decode(rangeStart, memory.read(rangeStart), descriptor.pageSize()).destroying()) {
        return destroyed(e);
      }
    } catch (UnallocatedAddressException gone) {
      return destroyed(e);
    }
    return new StoreFormatException(trie.address(node), "the bucket points to an out-of-line range that it cannot "
        + "read and that no writer replaced: " + e.getMessage(), e);
  }

  /** The failure of any use of a store whose range is freed. */
  IllegalStateException destroyed(RuntimeException cause) {
    return new IllegalStateException("entry store " + rangeStart + " was destroyed; its pages are freed", cause);
  }
}
