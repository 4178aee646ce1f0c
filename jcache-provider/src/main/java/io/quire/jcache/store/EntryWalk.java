package io.quire.jcache.store;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The entries of a store, bucket by bucket in depth-first trie order, read lazily (see {@code
 * docs/design/cache-pages.md}, "Operations"). A bucket is read once, at one instant. Keys held out of line are read
 * with their bucket, so every entry of a bucket is known by its key before any is handed out; an entry whose value
 * range is gone by the time it is reached was changed meanwhile, and is looked up again (it may have been removed).
 *
 * <p>Not thread-safe, as iterators go: one walk belongs to one thread.
 */
final class EntryWalk implements Iterator<StoredEntry> {
  private final BucketReader reader;
  private final Function<byte[], StoredEntry> lookup;
  private final Deque<Long> nodes = new ArrayDeque<>(List.of(1L));
  private List<Slot> slots = List.of();
  private byte[][] preloaded;
  private int next;
  private StoredEntry pending;

  /** @param lookup finds a key's current entry, for entries whose range went away during the walk */
  EntryWalk(BucketReader reader, Function<byte[], StoredEntry> lookup) {
    this.reader = reader;
    this.lookup = lookup;
  }

  @Override
  public boolean hasNext() {
    while (pending == null) {
      if (next < slots.size()) {
        pending = entryAt(next++);
      } else if (nodes.isEmpty()) {
        return false;
      } else {
        load(nodes.pop());
      }
    }
    return true;
  }

  @Override
  public StoredEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the walk has seen every entry");
    }
    StoredEntry entry = pending;
    pending = null;
    return entry;
  }

  private void load(long node) {
    Bucket bucket = reader.read(node);
    while (true) {
      slots = List.of();
      next = 0;
      if (bucket.isSplit()) {
        nodes.push(2 * node + 1);
        nodes.push(2 * node);
        return;
      }
      try {
        List<Slot> read = reader.slotsOf(bucket);
        byte[][] contents = new byte[read.size()][];
        for (int i = 0; i < read.size(); i++) {
          if (read.get(i).keyOutOfLine()) {
            contents[i] = reader.entryRange(read.get(i));
          }
        }
        slots = read;
        preloaded = contents;
        return;
      } catch (RangeUnreadableException e) {
        bucket = reader.reread(node, bucket, e);
      }
    }
  }

  private StoredEntry entryAt(int index) {
    Slot slot = slots.get(index);
    if (slot.keyOutOfLine()) {
      return reader.entryOf(new BucketReader.Match(slot, index, preloaded[index]));
    }
    try {
      return reader.entryOf(new BucketReader.Match(slot, index, null));
    } catch (RangeUnreadableException changedMeanwhile) {
      return lookup.apply(slot.key());
    }
  }
}
