package io.quire.store.disk;

import io.quire.core.address.GlobalAddress;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The content of the next page file, in address order: the snapshot's pages that were neither removed nor written
 * again since, merged with the journal's latest page records. Both inputs are sorted, so this is one streaming pass;
 * snapshot records are copied as they are (every read verifies them, so damage stays visible under its address).
 */
final class MergedPages implements Iterator<Map.Entry<byte[], byte[]>> {

  private final Iterator<Map.Entry<byte[], byte[]>> snapshot;
  private final Set<GlobalAddress> removedFromSnapshot;
  private final NavigableMap<GlobalAddress, Long> journalIndex;
  private final Iterator<Map.Entry<GlobalAddress, Long>> journal;
  private final BiFunction<GlobalAddress, Long, byte[]> journalRecord;
  private Map.Entry<byte[], byte[]> nextOld;
  private Map.Entry<GlobalAddress, Long> nextFresh;

  /**
   * @param snapshot the snapshot's entries in address order
   * @param journalIndex address to journal offset of each page written since the snapshot
   * @param journalRecord reads the page record at a journal offset
   */
  MergedPages(Iterator<Map.Entry<byte[], byte[]>> snapshot, Set<GlobalAddress> removedFromSnapshot,
      NavigableMap<GlobalAddress, Long> journalIndex, BiFunction<GlobalAddress, Long, byte[]> journalRecord) {
    this.snapshot = snapshot;
    this.removedFromSnapshot = removedFromSnapshot;
    this.journalIndex = journalIndex;
    this.journal = journalIndex.entrySet().iterator();
    this.journalRecord = journalRecord;
    this.nextOld = advanceOld();
    this.nextFresh = journal.hasNext() ? journal.next() : null;
  }

  private Map.Entry<byte[], byte[]> advanceOld() {
    while (snapshot.hasNext()) {
      Map.Entry<byte[], byte[]> entry = snapshot.next();
      GlobalAddress address = GlobalAddress.readFrom(entry.getKey(), 0);
      if (!removedFromSnapshot.contains(address) && !journalIndex.containsKey(address)) {
        return entry;
      }
    }
    return null;
  }

  @Override
  public boolean hasNext() {
    return nextOld != null || nextFresh != null;
  }

  @Override
  public Map.Entry<byte[], byte[]> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    // Never equal: a snapshot address that is in the journal index was skipped by advanceOld.
    boolean takeFresh = nextOld == null
        || (nextFresh != null && nextFresh.getKey().compareTo(GlobalAddress.readFrom(nextOld.getKey(), 0)) < 0);
    if (takeFresh) {
      GlobalAddress address = nextFresh.getKey();
      byte[] record = journalRecord.apply(address, nextFresh.getValue());
      nextFresh = journal.hasNext() ? journal.next() : null;
      return new AbstractMap.SimpleImmutableEntry<>(address.toBytes(), record);
    }
    Map.Entry<byte[], byte[]> entry = nextOld;
    nextOld = advanceOld();
    return entry;
  }
}
