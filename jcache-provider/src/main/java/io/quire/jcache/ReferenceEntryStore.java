package io.quire.jcache;

import io.quire.jcache.store.Change;
import io.quire.jcache.store.EntryMutation;
import io.quire.jcache.store.EntryStore;
import io.quire.jcache.store.StoredEntry;
import java.util.Iterator;

/**
 * An entry store whose values are ids in a {@link ReferenceTable}: it keeps the table in step with the pages, releasing
 * the object of every entry a change overwrites or removes, and every pending object a change did not store.
 */
final class ReferenceEntryStore implements EntryStore {
  private final EntryStore pages;
  private final ReferenceTable table;

  ReferenceEntryStore(EntryStore pages, ReferenceTable table) {
    this.pages = pages;
    this.table = table;
  }

  ReferenceTable table() {
    return table;
  }

  @Override
  public StoredEntry get(byte[] key) {
    return pages.get(key);
  }

  @Override
  public <T> T read(byte[] key, ValueReader<T> reader) {
    return pages.read(key, reader);
  }

  @Override
  public <R> R compute(byte[] key, EntryMutation<R> mutation) {
    StoredEntry[] before = new StoredEntry[1];
    Change[] change = {Change.KEEP};
    try {
      return pages.compute(key, current -> {
        before[0] = current;
        EntryMutation.Outcome<R> outcome = mutation.apply(current);
        change[0] = outcome.change();
        return outcome;
      });
    } finally {
      long kept = change[0] instanceof Change.Put put ? ReferenceTable.idOf(put.value()) : -1;
      table.settle(kept);
      boolean replaced = change[0] instanceof Change.Put || change[0] instanceof Change.Remove;
      if (replaced && before[0] != null && ReferenceTable.idOf(before[0].value()) != kept) {
        table.release(before[0].value());
      }
    }
  }

  @Override
  public Iterator<StoredEntry> iterator() {
    return pages.iterator();
  }

  /** Removes entry by entry, so each object is released with its entry and none that a racing put stored is lost. */
  @Override
  public void clear() {
    Iterator<StoredEntry> it = pages.iterator();
    while (it.hasNext()) {
      compute(it.next().key(), current -> new EntryMutation.Outcome<>(Change.REMOVE, null));
    }
  }

  @Override
  public void destroy() {
    pages.destroy();
    table.clear();
  }
}
