package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import io.quire.core.memory.UnallocatedAddressException;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EntryStore} in grid pages: one address range per cache, holding a descriptor page and an implicit binary
 * trie of bucket pages chosen by the hash of the key's bytes, with large entries in ranges of their own. The format
 * and the reasoning are in {@code docs/design/cache-pages.md}; code that disagrees with it is a bug.
 *
 * <p>Works on any {@link Memory}: a {@code GridNode}'s, or a {@code ClusterNode}'s, where stores on several nodes
 * opened on the same range see one another's changes. Safe for concurrent use.
 */
public final class PagedEntryStore implements EntryStore {
  /*
   * Implementation notes.
   *
   * Shared state: the pages (made atomic per page by the grid: a reader sees a page as one version), the trie's
   * SplitCache (monotone, see there), `destroyed` (volatile, only ever set) and `unfreed` (an atomic counter).
   * `mutating` is per thread: whether the thread runs a mutation of this store now, to refuse a nested compute.
   *
   * Writers: compute locks the bucket page its walk ends at and re-reads it; if that bucket turned split meanwhile it
   * unlocks and goes on down. Under the lock only this thread changes the bucket, so what it read is what it changes.
   * A split writes the new children (never reachable before) and only then marks the bucket split, so a reader sees
   * either the full leaf or a split bucket over complete children. Out-of-line ranges are written before a bucket
   * points to them and freed after none does, so a reader that finds a range gone re-reads its bucket, which must
   * then be a newer version (else the range is damaged: no loop on bad bytes).
   *
   * Lock order: a thread holds at most one bucket lock. Under it the store allocates, writes and frees out-of-line
   * ranges and writes not-yet-reachable child pages: pages that no other thread locks. A bucket page is written only
   * by the holder of its lock. So no thread waits for a bucket lock while holding anything, which grid-core needs: its
   * page writes wait for the page lock under the node's structure lock, which allocate and free take exclusively.
   *
   * Reading is BucketReader's, writing a leaf's new content BucketWriter's, the walk EntryWalk's; this class holds
   * the operations and their locking.
   */

  private final Memory memory;
  private final GlobalAddress rangeStart;
  private final StoreDescriptor descriptor;
  private final BucketTrie trie;
  private final ValueRanges ranges;
  private final BucketReader reader;
  private final BucketWriter writer;
  /** Per thread: whether it runs a mutation of this store now (a nested compute is refused). */
  private final ThreadLocal<boolean[]> mutating = ThreadLocal.withInitial(() -> new boolean[1]);
  /** Ranges this instance could not free because the memory refused (see {@link #unfreedRanges}); only grows. */
  private final AtomicLong unfreed = new AtomicLong();
  private volatile boolean destroyed;

  private PagedEntryStore(Memory memory, GlobalAddress rangeStart, StoreDescriptor descriptor) {
    this.memory = memory;
    this.rangeStart = rangeStart;
    this.descriptor = descriptor;
    this.trie = new BucketTrie(rangeStart, descriptor.pageSize(), descriptor.depthLimit());
    this.ranges = new ValueRanges(memory, descriptor.pageSize(), descriptor.durability());
    this.reader = new BucketReader(memory, rangeStart, descriptor, trie, ranges);
    this.writer = new BucketWriter(memory, descriptor, trie, ranges);
  }

  /**
   * Allocates the range of a new, empty store and writes its descriptor. The range is large in addresses (see the
   * design page: unwritten pages cost nothing) and every page written later has {@code durability}.
   *
   * @param pageSize the page size of the grid behind {@code memory}
   */
  public static PagedEntryStore create(Memory memory, PageSize pageSize, Durability durability) {
    requireNonNull(pageSize, "pageSize");
    return create(memory, StoreDescriptor.forNew(pageSize, durability));
  }

  /** A new store with another depth limit than the default, so that tests reach it with a few entries. */
  static PagedEntryStore create(Memory memory, PageSize pageSize, Durability durability, int depthLimit) {
    return create(memory, new StoreDescriptor(depthLimit, durability, pageSize,
        StoreDescriptor.maxInlineLimit(pageSize), false));
  }

  private static PagedEntryStore create(Memory memory, StoreDescriptor descriptor) {
    requireNonNull(memory, "memory");
    AddressRange range = memory.allocate(descriptor.rangePages(), descriptor.durability());
    memory.write(range.start(), descriptor.encode());
    return new PagedEntryStore(memory, range.start(), descriptor);
  }

  /**
   * Opens the store that {@link #create} made at {@code rangeStart}: after a restart of a node (a persistent store, or
   * any store after a graceful close), or on another node of the cluster.
   *
   * @throws StoreFormatException if the range is not allocated, is not an entry store, or was made for another page
   *     size or by a newer format
   */
  public static PagedEntryStore open(Memory memory, PageSize pageSize, GlobalAddress rangeStart) {
    requireNonNull(memory, "memory");
    requireNonNull(pageSize, "pageSize");
    requireNonNull(rangeStart, "rangeStart");
    if (!rangeStart.isPageAligned(pageSize)) {
      throw new StoreFormatException(rangeStart, "this is not the first byte of a page, so not the start of a "
          + "store's range; pass the rangeStart() of a store that create() made");
    }
    Page page;
    try {
      page = memory.read(rangeStart);
    } catch (UnallocatedAddressException e) {
      throw new StoreFormatException(rangeStart, "the address is not allocated: the store was destroyed, or the "
          + "address never named a store", e);
    }
    StoreDescriptor descriptor = StoreDescriptor.decode(rangeStart, page, pageSize);
    if (descriptor.destroying()) {
      throw new StoreFormatException(rangeStart, "the store is being destroyed (a destroy started and did not "
          + "finish); free its range instead of opening it");
    }
    return new PagedEntryStore(memory, rangeStart, descriptor);
  }

  /** The start of the store's range: what {@link #open} takes, for the caller's catalog. */
  public GlobalAddress rangeStart() {
    return rangeStart;
  }

  /** The durability of the store's pages, as given to {@link #create}. */
  public Durability durability() {
    return descriptor.durability();
  }

  StoreDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public StoredEntry get(byte[] key) {
    requireNonNull(key, "key");
    requireUsable();
    long hash = KeyHash.of(key);
    long node = trie.startNode(hash);
    // The common case, an inline entry in a leaf, is answered from the page bytes without decoding the bucket.
    byte[] page = leafBytes(node);
    if (page != null) {
      StoredEntry fast = LeafScan.find(page, key, hash);
      if (fast != LeafScan.UNDECIDED) {
        return fast;
      }
    }
    return decodedGet(node, key, hash);
  }

  /** Hands an in-line value to {@code reader} in the page's own bytes: no copy of the entry, no clone of the key. */
  @Override
  public <T> T read(byte[] key, ValueReader<T> reader) {
    requireNonNull(key, "key");
    requireNonNull(reader, "reader");
    requireUsable();
    long hash = KeyHash.of(key);
    long node = trie.startNode(hash);
    byte[] page = leafBytes(node);
    if (page != null) {
      int at = LeafScan.locate(page, key, hash);
      if (at == LeafScan.MISS) {
        return null;
      }
      if (at >= 0) {
        return reader.read(page, LeafBytes.valueAt(page, at), LeafBytes.valueLength(page, at),
            LeafBytes.expiresAt(page, at));
      }
    }
    StoredEntry entry = decodedGet(node, key, hash);
    return entry == null ? null : reader.read(entry.value(), 0, entry.value().length, entry.expiresAt());
  }

  /** The bytes of {@code node}'s page (shared: never written), or null if the range is gone. */
  private byte[] leafBytes(long node) {
    try {
      return memory.read(trie.address(node)).sharedBytes();
    } catch (UnallocatedAddressException e) {
      return null;
    }
  }

  /** A get the full way: buckets decoded, splits followed, out-of-line ranges read and retried as the rule says. */
  private StoredEntry decodedGet(long node, byte[] key, long hash) {
    Bucket bucket = reader.read(node);
    while (true) {
      while (bucket.isSplit()) {
        node = BucketTrie.child(node, hash);
        bucket = reader.read(node);
      }
      try {
        List<Slot> slots = reader.slotsOf(bucket);
        BucketReader.Match match = reader.match(slots, key, hash);
        return match == null ? null : reader.entryOf(match);
      } catch (RangeUnreadableException e) {
        bucket = reader.reread(node, bucket, e);
      }
    }
  }

  @Override
  public <R> R compute(byte[] key, EntryMutation<R> mutation) {
    requireNonNull(key, "key");
    requireNonNull(mutation, "mutation");
    requireUsable();
    boolean[] inMutation = mutating.get();
    if (inMutation[0]) {
      throw new IllegalStateException("compute called from inside a mutation of the same store: the inner change "
          + "could be lost or the two could deadlock; make the change in the outer mutation");
    }
    long hash = KeyHash.of(key);
    long node = trie.startNode(hash);
    while (true) {
      GlobalAddress address = trie.address(node);
      lock(address);
      Applied<R> applied;
      try {
        applied = applyLocked(node, key, hash, mutation, inMutation);
      } finally {
        memory.unlock(address);
      }
      if (applied != null) {
        freeAll(applied.garbage);
        return applied.result;
      }
      node = BucketTrie.child(node, hash);
    }
  }

  /** The change of one compute, made under the bucket's lock: the result and the ranges no bucket points to now. */
  private static final class Applied<R> {
    final R result;
    final List<Ref> garbage;

    Applied(R result, List<Ref> garbage) {
      this.result = result;
      this.garbage = garbage;
    }
  }

  /**
   * Reads the locked bucket, runs the mutation once and makes its change; null when the bucket is split (the caller
   * goes down). A leaf whose entry of the key lies in line is changed in its bytes ({@link LeafEdit}) when the new
   * entry goes in line and fits; anything else is decoded and re-encoded whole (the full way).
   */
  private <R> Applied<R> applyLocked(long node, byte[] key, long hash, EntryMutation<R> mutation,
      boolean[] inMutation) {
    Page page = reader.page(node);
    LeafEdit edit = LeafEdit.locate(page.sharedBytes(), key, hash);
    if (edit != null) {
      EntryMutation.Outcome<R> outcome = run(mutation, edit.current(key), inMutation);
      byte[] content = edited(edit, key, outcome.change());
      if (content != null) {
        if (content != UNCHANGED) {
          writer.writePage(node, content);
        }
        return new Applied<>(outcome.result(), List.of());
      }
      // The new entry does not go in line here (a range, a split): the full way, with the outcome decided already.
      Bucket bucket = reader.decode(node, page);
      Located located = locate(node, bucket, key, hash);
      return new Applied<>(outcome.result(), change(node, bucket, located, key, hash, outcome.change()));
    }
    Bucket bucket = reader.decode(node, page);
    if (bucket.isSplit()) {
      return null;
    }
    Located located = locate(node, bucket, key, hash);
    EntryMutation.Outcome<R> outcome = run(mutation, located.current, inMutation);
    return new Applied<>(outcome.result(), change(node, bucket, located, key, hash, outcome.change()));
  }

  /** What {@link #edited} returns for a change that writes nothing. */
  private static final byte[] UNCHANGED = new byte[0];

  /** The leaf's next content after {@code change}, {@link #UNCHANGED}, or null when it needs the full way. */
  private byte[] edited(LeafEdit edit, byte[] key, Change change) {
    if (change instanceof Change.Put put) {
      if (Slot.inlineBytes(key.length, put.value().length) > descriptor.inlineLimit()) {
        return null;
      }
      return edit.put(key, put.value(), put.expiresAt(), descriptor.pageSize().bytes());
    }
    if (!edit.holdsKey()) {
      return UNCHANGED;
    }
    if (change instanceof Change.Remove) {
      return edit.remove();
    }
    if (change instanceof Change.SetExpiry setExpiry) {
      return edit.setExpiry(setExpiry.expiresAt());
    }
    return UNCHANGED;
  }

  /** The decoded entries of a leaf, the key's among them and its entry: what the full way of a change works on. */
  private static final class Located {
    final List<Slot> slots;
    final int index;
    final StoredEntry current;

    Located(List<Slot> slots, int index, StoredEntry current) {
      this.slots = slots;
      this.index = index;
      this.current = current;
    }
  }

  private Located locate(long node, Bucket bucket, byte[] key, long hash) {
    try {
      List<Slot> slots = reader.slotsOf(bucket);
      BucketReader.Match match = reader.match(slots, key, hash);
      return match == null ? new Located(slots, -1, null) : new Located(slots, match.index, reader.entryOf(match));
    } catch (RangeUnreadableException e) {
      // Under the lock nobody else changes this bucket or frees what it points to: the range is damaged.
      throw reader.damaged(node, e);
    }
  }

  /** Runs the mutation once, marked as running so that a nested compute on this store is refused. */
  private static <R> EntryMutation.Outcome<R> run(EntryMutation<R> mutation, StoredEntry current,
      boolean[] inMutation) {
    EntryMutation.Outcome<R> outcome;
    inMutation[0] = true;
    try {
      outcome = mutation.apply(current);
    } finally {
      inMutation[0] = false;
    }
    return requireNonNull(outcome,
        "the mutation returned a null outcome; return Change.KEEP to leave the entry as it is");
  }

  /** Makes {@code change} the full way: the leaf's entries re-encoded, split or overflowed as need be; the garbage. */
  private List<Ref> change(long node, Bucket bucket, Located located, byte[] key, long hash, Change change) {
    int index = located.index;
    List<Slot> next = new ArrayList<>(located.slots);
    List<Ref> garbage = new ArrayList<>();
    if (change instanceof Change.Put put) {
      Slot fresh = writer.newSlot(key, hash, put.value(), put.expiresAt());
      if (index >= 0) {
        addRefOf(garbage, next.set(index, fresh));
      } else {
        next.add(fresh);
      }
    } else if (change instanceof Change.Remove && index >= 0) {
      addRefOf(garbage, next.remove(index));
    } else if (change instanceof Change.SetExpiry setExpiry && index >= 0) {
      next.set(index, next.get(index).withExpiresAt(setExpiry.expiresAt()));
    } else {
      return List.of();
    }
    writer.place(node, next);
    if (bucket.overflow() != null) {
      garbage.add(bucket.overflow());
    }
    return garbage;
  }

  @Override
  public Iterator<StoredEntry> iterator() {
    requireUsable();
    return new EntryWalk(reader, this::get);
  }

  @Override
  public void clear() {
    requireUsable();
    forEachLeaf((node, bucket) -> {
      List<Ref> garbage = reader.refsOf(node, bucket);
      if (!bucket.slots().isEmpty() || bucket.overflow() != null) {
        writer.writePage(node, BucketPage.encodeLeaf(List.of()));
      }
      return garbage;
    });
  }

  @Override
  public void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    // Marked first: a reader elsewhere that then finds a range gone reports the destroy, not damage.
    memory.write(rangeStart, descriptor.markedDestroying().encode());
    forEachLeaf(reader::refsOf);
    try {
      memory.free(rangeStart);
    } catch (UnallocatedAddressException e) {
      throw new IllegalStateException("could not free the range of entry store " + rangeStart + ": it is freed "
          + "already, or (on a cluster) another node allocated it and only that node can free it; destroy the store "
          + "on the node that created it", e);
    }
  }

  /** What to do with one leaf under its lock: returns the ranges to free once the lock is released. */
  @FunctionalInterface
  private interface LeafAction {
    List<Ref> apply(long node, Bucket bucket);
  }

  /** Visits every leaf that holds anything, under its lock, in trie order; frees what the action returns. */
  private void forEachLeaf(LeafAction action) {
    Deque<Long> nodes = new ArrayDeque<>(List.of(1L));
    while (!nodes.isEmpty()) {
      long node = nodes.pop();
      Bucket bucket = reader.read(node);
      if (!bucket.isSplit() && bucket.slots().isEmpty() && bucket.overflow() == null) {
        continue;
      }
      List<Ref> garbage = List.of();
      if (!bucket.isSplit()) {
        GlobalAddress address = trie.address(node);
        lock(address);
        try {
          bucket = reader.read(node);
          if (!bucket.isSplit()) {
            garbage = action.apply(node, bucket);
          }
        } finally {
          memory.unlock(address);
        }
      }
      if (bucket.isSplit()) {
        nodes.push(2 * node + 1);
        nodes.push(2 * node);
      }
      freeAll(garbage);
    }
  }

  /** Every out-of-line range the store points to now, for tests and diagnostics. Reads every bucket; no locks. */
  List<Ref> outOfLineRanges() {
    List<Ref> refs = new ArrayList<>();
    Deque<Long> nodes = new ArrayDeque<>(List.of(1L));
    while (!nodes.isEmpty()) {
      long node = nodes.pop();
      Bucket bucket = reader.read(node);
      if (bucket.isSplit()) {
        nodes.push(2 * node + 1);
        nodes.push(2 * node);
      } else {
        refs.addAll(reader.refsOf(node, bucket));
      }
    }
    return refs;
  }

  private void lock(GlobalAddress address) {
    try {
      memory.lock(address);
    } catch (UnallocatedAddressException e) {
      throw reader.destroyed(e);
    }
  }

  private void freeAll(List<Ref> garbage) {
    for (Ref ref : garbage) {
      if (!ranges.free(ref)) {
        unfreed.incrementAndGet();
      }
    }
  }

  /**
   * How many out-of-line ranges this instance dropped from its buckets but could not free, because the memory refused:
   * on a cluster, a range allocated by another node (only that node may free it; see the design page). They stay
   * allocated. Always zero on a single node.
   */
  long unfreedRanges() {
    return unfreed.get();
  }

  private static void addRefOf(List<Ref> refs, Slot slot) {
    if (slot.ref() != null) {
      refs.add(slot.ref());
    }
  }

  private void requireUsable() {
    if (destroyed) {
      throw reader.destroyed(null);
    }
  }

  @Override
  public String toString() {
    return "PagedEntryStore{" + rangeStart + ", depth limit " + descriptor.depthLimit() + ", "
        + descriptor.durability() + "}";
  }
}
