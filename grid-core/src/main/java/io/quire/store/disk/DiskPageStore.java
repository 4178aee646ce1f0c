package io.quire.store.disk;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.spi.store.CorruptPageException;
import io.quire.spi.store.CorruptStoreException;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreClosedException;
import io.quire.spi.store.StoreException;
import io.quire.spi.store.StoreFileLockedException;
import io.quire.spi.store.StoreFileMissingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The disk tier: a write-ahead journal in front of an immutable MapDB page file, a two-level LSM.
 *
 * <p>The store directory holds:
 * <ul>
 *   <li>{@code LOCK}, locked for the store's lifetime so that one store, in any process, owns the directory;
 *   <li>{@code STORE}, the format version and page size, written once (see {@link StoreMeta});
 *   <li>{@code pages-<g>.db}, the snapshot of generation {@code g}: every page as of the last checkpoint, sorted by
 *       address (see {@link PageFile}); absent when that snapshot was empty;
 *   <li>{@code journal-<g>.log}, every change since that snapshot (see {@link Journal}).
 * </ul>
 *
 * <p>Durability: {@link #write}, {@link #remove} and {@link #removeRange} append a journal record and force it
 * before returning, so a SIGKILL (or power loss) at any later instant keeps the change. {@link #writeLazily} appends
 * without forcing; the next forcing call makes it durable. No file is ever modified in place except by appending
 * to the journal, and a torn journal tail is cut off on open, so a crash at any instant leaves a directory that opens
 * to exactly the acknowledged content.
 *
 * <p>Checkpoint: once the journal passes {@code checkpointJournalBytes}, the snapshot, the journal's pages and its
 * removals are merged into {@code pages-<g+1>.db} (built under a temporary name, synced, renamed, directory synced),
 * then an empty {@code journal-<g+1>.log} is created the same way, and only then are generation {@code g}'s files
 * deleted. Opening takes the highest generation that has a page file or journal: until {@code pages-<g+1>.db} is in
 * place generation {@code g} is whole; from then on {@code g+1} is (a missing journal is created empty).
 *
 * <p>Reads: both files are read through read-only memory mappings (the page file's whole, the journal's first part,
 * mapped again as it grows by {@link Journal#REMAP_AFTER_BYTES}), since a page-in through {@code pread} cost several
 * system calls: MapDB's binary search reads a few bytes at a time, and a journal record took two reads.
 *
 * <p>Interrupts: a caller's interrupt status neither fails a call nor closes a file (NIO closes a channel used by an
 * interrupted thread); it is cleared for the I/O and restored afterwards, and an interrupt during the I/O reopens the
 * journal and repeats the operation (see {@link Journal}).
 *
 * <p>Verification: every page read from disk is decoded by {@link PageRecordCodec}, which checks the record and the
 * page checksum; journal records also carry a CRC32C. Damage is a {@link CorruptPageException} naming the address
 * and the file, or a {@link CorruptStoreException} naming the file when the structure is damaged.
 */
public final class DiskPageStore implements PageStore {

  /** The journal size at which a checkpoint folds it into a new page file, unless told otherwise. */
  public static final long DEFAULT_CHECKPOINT_JOURNAL_BYTES = 64L * 1024 * 1024;

  private static final Logger LOG = Logger.getLogger(DiskPageStore.class.getName());

  private final Path directory;
  private final PageSize pageSize;
  private final long checkpointJournalBytes;
  private final PageRecordCodec codec;
  private final int maxPagePayload;
  private final DirectoryLock directoryLock;

  /*
   * One lock guards every field below and every use of the journal and page file, reads included: a checkpoint
   * swaps the snapshot and the journal under readers' feet, and the disk tier is the slow path, so one lock is the
   * simplest discipline that is obviously correct.
   */
  private final ReentrantLock lock = new ReentrantLock();
  private long generation;
  /** The snapshot; null when it is empty. */
  private PageFile snapshot;
  private Journal journal;
  /**
   * Address to journal offset of its latest PAGE record, for every page written since the snapshot. Hashed, not
   * sorted: every read of a page that is not resident looks here first, and a tree of up to a checkpoint's pages
   * (16,384 at the defaults) cost that read some 14 address compares, most of them cache misses. The two uses that
   * need address order, removing a range and the checkpoint's merge, are rare and sort for themselves.
   */
  private final HashMap<GlobalAddress, Long> journalIndex = new HashMap<>();
  /** Snapshot pages removed since the snapshot (and not written again, or the journal index shadows them). */
  private final NavigableSet<GlobalAddress> removedFromSnapshot = new TreeSet<>();
  private long pageCount;
  private long nextCheckpointAt;
  /** Set when the disk state can no longer be trusted to match memory; changes are refused from then on. */
  private StoreException failure;
  private boolean closed;

  private DiskPageStore(Path directory, PageSize pageSize, long checkpointJournalBytes,
      DirectoryLock directoryLock) {
    this.directory = directory;
    this.pageSize = pageSize;
    this.checkpointJournalBytes = checkpointJournalBytes;
    this.codec = new PageRecordCodec(pageSize);
    this.maxPagePayload = GlobalAddress.BYTES + codec.maxRecordBytes();
    this.directoryLock = directoryLock;
    this.nextCheckpointAt = checkpointJournalBytes;
  }

  /** Opens (or creates) the store in {@code directory} with the default checkpoint threshold. */
  public static DiskPageStore open(Path directory, PageSize pageSize) {
    return open(directory, pageSize, DEFAULT_CHECKPOINT_JOURNAL_BYTES);
  }

  /**
   * Opens the store in {@code directory}, creating the directory and an empty store when absent, and recovers it:
   * the newest complete generation, its journal replayed and any torn tail cut off.
   *
   * @param checkpointJournalBytes the journal size at which a checkpoint writes a new page file
   * @throws StoreFileLockedException if another store, in this or another process, has the directory open
   * @throws StoreException if the directory was made with another page size or format, or cannot be read
   * @throws CorruptStoreException if a file's structure is damaged
   * @throws StoreFileMissingException if the journal names a page file that is gone
   */
  public static DiskPageStore open(Path directory, PageSize pageSize, long checkpointJournalBytes) {
    requireNonNull(directory, "directory");
    requireNonNull(pageSize, "pageSize");
    if (checkpointJournalBytes < 1) {
      throw new IllegalArgumentException("checkpointJournalBytes must be positive, not " + checkpointJournalBytes);
    }
    DirectoryLock directoryLock = DirectoryLock.acquire(directory);
    DiskPageStore store = new DiskPageStore(directory, pageSize, checkpointJournalBytes, directoryLock);
    boolean opened = false;
    try {
      store.recover();
      opened = true;
      return store;
    } catch (IOException e) {
      throw new StoreException("could not open disk store " + directory + ": " + e, e);
    } finally {
      if (!opened) {
        // Release everything, the directory last, so a refused open leaves it free for the next attempt.
        Exception ignored = new Exception("closing after a failed open");
        store.closeFiles(ignored);
        try {
          directoryLock.close();
        } catch (IOException e) {
          ignored.addSuppressed(e);
        }
        for (Throwable t : ignored.getSuppressed()) {
          LOG.log(Level.FINE, "disk store " + directory + ": failure while closing after a failed open", t);
        }
      }
    }
  }

  private void recover() throws IOException {
    Generations generations = Generations.list(directory);
    Path meta = directory.resolve(StoreMeta.FILE_NAME);
    if (!Files.exists(meta)) {
      if (!generations.isEmpty()) {
        throw new StoreFileMissingException(meta, "the directory holds page files or journals but no STORE file");
      }
      StoreMeta.create(directory, pageSize);
    }
    StoreMeta.verify(directory, pageSize);

    generation = generations.newest();
    Path pagesPath = pagesFile(generation);
    Path journalPath = journalFile(generation);
    if (generations.hasPageFile(generation)) {
      snapshot = PageFile.open(pagesPath, pageSize);
      pageCount = snapshot.size();
    }
    if (generations.hasJournal(generation)) {
      journal = Journal.open(journalPath, generation, maxPagePayload,
          (type, offset, payload, intact) -> replay(journalPath, type, offset, payload, intact));
      if (journal.hasPageFile() && snapshot == null) {
        throw new StoreFileMissingException(pagesPath, "its journal " + journalPath + " holds the changes since it");
      }
      if (!journal.hasPageFile() && snapshot != null) {
        throw new CorruptStoreException(journalPath, "its header says generation " + generation + " has no page "
            + "file, but " + pagesPath + " exists", null);
      }
    } else {
      // A crash between renaming the new page file into place and creating its journal: nothing changed since.
      journal = Journal.create(journalPath, generation, snapshot != null, maxPagePayload);
    }
    generations.deleteBefore(generation);
  }

  private void replay(Path journalPath, byte type, long offset, byte[] payload, boolean intact) {
    GlobalAddress address = GlobalAddress.readFrom(payload, 0);
    if (!intact && type != Journal.PAGE) {
      // A damaged removal cannot be applied, and skipping it could bring removed pages back.
      throw new CorruptStoreException(journalPath, "the removal record at offset " + offset + " fails its CRC", null);
    }
    switch (type) {
      case Journal.PAGE -> {
        if (!intact) {
          LOG.warning(() -> "journal " + journalPath + ": the record of page " + address + " at offset " + offset
              + " fails its CRC; reading that page will report it");
        }
        applyPage(address, offset);
      }
      case Journal.REMOVE -> applyRemove(address);
      case Journal.REMOVE_RANGE -> {
        long pages = ByteBuffer.wrap(payload).getLong(GlobalAddress.BYTES);
        AddressRange range;
        try {
          range = new AddressRange(address, pages, pageSize);
        } catch (IllegalArgumentException | ArithmeticException e) {
          throw new CorruptStoreException(journalPath, "the range removal at offset " + offset + " is impossible: "
              + e.getMessage(), e);
        }
        applyRemoveRange(range);
      }
      default -> throw new IllegalStateException("Journal passed an unknown record type " + type);
    }
  }

  // The state rules, shared by live calls and replay. Callers hold the lock.

  private void applyPage(GlobalAddress address, long offset) {
    boolean present = isPresent(address);
    journalIndex.put(address, offset);
    if (!present) {
      pageCount++;
    }
  }

  private boolean applyRemove(GlobalAddress address) {
    boolean inJournal = journalIndex.remove(address) != null;
    boolean inSnapshot = liveInSnapshot(address);
    if (inSnapshot) {
      removedFromSnapshot.add(address);
    }
    boolean present = inJournal || inSnapshot;
    if (present) {
      pageCount--;
    }
    return present;
  }

  private long applyRemoveRange(AddressRange range) {
    GlobalAddress end = range.end();
    Set<GlobalAddress> gone = new HashSet<>();
    journalIndex.keySet().removeIf(address -> address.compareTo(range.start()) >= 0 && address.compareTo(end) < 0
        && gone.add(address));
    if (snapshot != null) {
      for (GlobalAddress address : snapshot.addressesIn(range.start(), end)) {
        if (removedFromSnapshot.add(address)) {
          gone.add(address);
        }
      }
    }
    pageCount -= gone.size();
    return gone.size();
  }

  private boolean isPresent(GlobalAddress address) {
    return journalIndex.containsKey(address) || liveInSnapshot(address);
  }

  private boolean liveInSnapshot(GlobalAddress address) {
    if (snapshot == null || removedFromSnapshot.contains(address)) {
      return false;
    }
    try {
      return snapshot.get(address) != null;
    } catch (CorruptPageException e) {
      // The table cannot say; its page count included whatever was there, so count it as present.
      return true;
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws CorruptPageException if the stored page is damaged; names the address and the file
   */
  @Override
  public Page read(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    lock.lock();
    try {
      checkOpen();
      Long offset = journalIndex.get(pageAddress);
      if (offset != null) {
        return codec.decode(pageAddress, journalRecord(pageAddress, offset, true), journal.file());
      }
      if (snapshot == null || removedFromSnapshot.contains(pageAddress)) {
        return null;
      }
      byte[] record = snapshot.get(pageAddress);
      return record == null ? null : codec.decode(pageAddress, record, snapshot.file());
    } finally {
      lock.unlock();
    }
  }

  /**
   * The page record in the journal's PAGE record at {@code offset}.
   *
   * @param strict whether a CRC failure is an error; a checkpoint copies such a record anyway, since the page
   *     record is self-verifying and its damage will be reported when the page is read
   */
  private byte[] journalRecord(GlobalAddress address, long offset, boolean strict) {
    Journal.Frame frame;
    try {
      frame = journal.read(offset);
    } catch (IOException e) {
      throw new StoreException("could not read page " + address + " from " + journal.file() + ": " + e, e);
    }
    if (frame == null || frame.type() != Journal.PAGE) {
      throw new CorruptPageException(address, journal.file(), "its journal record at offset " + offset
          + " is unreadable", null);
    }
    if (strict && !frame.intact()) {
      throw new CorruptPageException(address, journal.file(), "its journal record at offset " + offset
          + " fails its CRC", null);
    }
    byte[] payload = frame.payload();
    if (!GlobalAddress.readFrom(payload, 0).equals(address)) {
      throw new CorruptPageException(address, journal.file(), "its journal record at offset " + offset
          + " holds page " + GlobalAddress.readFrom(payload, 0), null);
    }
    return Arrays.copyOfRange(payload, GlobalAddress.BYTES, payload.length);
  }

  /**
   * {@inheritDoc} Appended to the journal and forced to disk before returning.
   *
   * @throws IllegalArgumentException if the page is longer than the page size or its address is not page-aligned
   */
  @Override
  public void write(Page page) {
    append(page, true);
  }

  /** {@inheritDoc} Appended to the journal but not forced; the next write, remove, flush or close forces it. */
  @Override
  public void writeLazily(Page page) {
    append(page, false);
  }

  private void append(Page page, boolean durable) {
    byte[] record = codec.encode(page);
    lock.lock();
    try {
      checkWritable();
      long offset = journalAppend(Journal.PAGE, page.address().toBytes(), record);
      applyPage(page.address(), offset);
      afterAppend(durable);
    } finally {
      lock.unlock();
    }
  }

  /** {@inheritDoc} The removal is appended to the journal and forced to disk before returning. */
  @Override
  public boolean remove(GlobalAddress pageAddress) {
    return removeRecord(pageAddress, true);
  }

  /** {@inheritDoc} Appended to the journal but not forced; the next write, remove, flush or close forces it. */
  @Override
  public boolean removeLazily(GlobalAddress pageAddress) {
    return removeRecord(pageAddress, false);
  }

  private boolean removeRecord(GlobalAddress pageAddress, boolean durable) {
    requireNonNull(pageAddress, "pageAddress");
    lock.lock();
    try {
      checkWritable();
      if (!isPresent(pageAddress)) {
        return false;
      }
      journalAppend(Journal.REMOVE, pageAddress.toBytes());
      applyRemove(pageAddress);
      afterAppend(durable);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long removeRange(AddressRange range) {
    requireNonNull(range, "range");
    lock.lock();
    try {
      checkWritable();
      byte[] pages = ByteBuffer.allocate(Long.BYTES).putLong(range.pages()).array();
      journalAppend(Journal.REMOVE_RANGE, range.start().toBytes(), pages);
      long removed = applyRemoveRange(range);
      // A removal that removed nothing needs no force: replaying it or not gives the same state.
      afterAppend(removed > 0);
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void flush() {
    lock.lock();
    try {
      checkWritable();
      force();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long pageCount() {
    lock.lock();
    try {
      checkOpen();
      return pageCount;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public java.util.List<GlobalAddress> addresses() {
    lock.lock();
    try {
      checkOpen();
      java.util.List<GlobalAddress> addresses = new java.util.ArrayList<>();
      for (Iterator<Map.Entry<byte[], byte[]>> it = merged(); it.hasNext(); ) {
        addresses.add(GlobalAddress.readFrom(it.next().getKey(), 0));
      }
      return addresses;
    } finally {
      lock.unlock();
    }
  }

  private long journalAppend(byte type, byte[]... parts) {
    try {
      return journal.append(type, parts);
    } catch (IOException e) {
      throw fail("append to " + journal.file(), e);
    }
  }

  private void force() {
    try {
      journal.force();
    } catch (IOException e) {
      // After a failed fsync the kernel may have dropped the dirty pages: nothing appended can be trusted.
      throw fail("force " + journal.file() + " to disk", e);
    }
  }

  /** Checkpoints when the journal has grown enough, else forces it when the change must be durable. */
  private void afterAppend(boolean durable) {
    if (journal.size() >= nextCheckpointAt) {
      // Not interrupted: NIO would close the new files' channels under a caller whose task was cancelled (the
      // journal's own operations protect themselves); an interrupt during it fails it, and it is retried later.
      boolean interrupted = Thread.interrupted();
      try {
        checkpoint();
        return; // the new page file holds every change, synced
      } catch (IOException | RuntimeException e) {
        if (failure != null) {
          throw failure;
        }
        // The old generation is intact and still current: keep appending to it, and retry after another threshold.
        nextCheckpointAt = journal.size() + checkpointJournalBytes;
        LOG.log(Level.WARNING, "disk store " + directory + ": checkpoint failed; the journal keeps growing", e);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (durable) {
      force();
    }
  }

  /** Folds the journal into a new page file and starts an empty journal; see the class comment for the order. */
  private void checkpoint() throws IOException {
    long next = generation + 1;
    Path nextPages = pagesFile(next);
    Path nextJournal = journalFile(next);
    Journal newJournal = null;
    PageFile newSnapshot = null;
    try {
      boolean hasPages = pageCount > 0;
      if (hasPages) {
        long written = PageFile.build(nextPages, pageSize, merged());
        if (written != pageCount) {
          throw new IOException("the merge produced " + written + " pages, but the store counts " + pageCount);
        }
        newSnapshot = PageFile.open(nextPages, pageSize);
      }
      newJournal = Journal.create(nextJournal, next, hasPages, maxPagePayload);
    } catch (IOException | RuntimeException e) {
      abandonCheckpoint(next, newSnapshot, newJournal, e);
      throw e;
    }
    // Generation next is durable and is what an open would now find: switch to it, then drop the old one.
    Journal oldJournal = journal;
    PageFile oldSnapshot = snapshot;
    long oldGeneration = generation;
    generation = next;
    journal = newJournal;
    snapshot = newSnapshot;
    journalIndex.clear();
    removedFromSnapshot.clear();
    nextCheckpointAt = checkpointJournalBytes;
    try {
      oldJournal.close();
      if (oldSnapshot != null) {
        oldSnapshot.close();
      }
      // No directory sync: if a crash undoes these deletions, the next open deletes older generations again.
      Files.deleteIfExists(journalFile(oldGeneration));
      Files.deleteIfExists(pagesFile(oldGeneration));
    } catch (IOException | RuntimeException e) {
      // Harmless for the same reason.
      LOG.log(Level.WARNING, "disk store " + directory + ": could not delete generation " + oldGeneration, e);
    }
  }

  /**
   * Removes whatever a failed checkpoint published, so the current generation stays the newest on disk; if that
   * fails, a reopen could find the half-made generation, so the store refuses further changes.
   */
  private void abandonCheckpoint(long next, PageFile newSnapshot, Journal newJournal, Exception cause) {
    try {
      if (newJournal != null) {
        newJournal.close();
      }
      if (newSnapshot != null) {
        newSnapshot.close();
      }
      Files.deleteIfExists(journalFile(next));
      Files.deleteIfExists(DiskFiles.tmpOf(journalFile(next)));
      Files.deleteIfExists(pagesFile(next));
      Files.deleteIfExists(DiskFiles.tmpOf(pagesFile(next)));
      DiskFiles.syncDirectory(directory);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
      fail("clean up after a failed checkpoint", cause);
    }
  }

  /** Snapshot pages not removed or rewritten, merged in address order with the journal's pages. */
  private Iterator<Map.Entry<byte[], byte[]>> merged() {
    return new MergedPages(snapshot == null ? Collections.emptyIterator() : snapshot.entries(), removedFromSnapshot,
        new TreeMap<>(journalIndex), (address, offset) -> journalRecord(address, offset, false));
  }

  /** Forces pending lazy writes and closes the files and the directory lock; a second close does nothing. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      StoreException forceFailure = null;
      if (failure == null) {
        try {
          journal.force();
        } catch (IOException e) {
          forceFailure = new StoreException("disk store " + directory + " could not force " + journal.file()
              + " at close; lazily written pages may be lost: " + e, e);
        }
      }
      Exception closeFailure = new Exception("closing");
      closeFiles(closeFailure);
      try {
        directoryLock.close();
      } catch (IOException e) {
        closeFailure.addSuppressed(e);
      }
      if (forceFailure != null) {
        throw forceFailure;
      }
      if (closeFailure.getSuppressed().length > 0) {
        throw new StoreException("disk store " + directory + " could not close its files", closeFailure);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Closes the journal and the page file, adding failures to {@code failures}. */
  private void closeFiles(Exception failures) {
    try {
      if (journal != null) {
        journal.close();
      }
    } catch (IOException | RuntimeException e) {
      failures.addSuppressed(e);
    }
    try {
      if (snapshot != null) {
        snapshot.close();
      }
    } catch (RuntimeException e) {
      failures.addSuppressed(e);
    }
  }

  /** The store directory. */
  public Path directory() {
    return directory;
  }

  /** The page size the store was made with. */
  public PageSize pageSize() {
    return pageSize;
  }

  /** How many bytes of the current journal reads take from its memory mapping (the rest is read with pread). */
  long journalMappedBytes() {
    lock.lock();
    try {
      return journal.mappedBytes();
    } finally {
      lock.unlock();
    }
  }

  /** The current generation: how many checkpoints the directory has been through. */
  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "DiskPageStore[" + directory + ", pages of " + pageSize + "]";
  }

  private Path pagesFile(long g) {
    return Generations.pageFile(directory, g);
  }

  private Path journalFile(long g) {
    return Generations.journal(directory, g);
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreClosedException(toString());
    }
  }

  private void checkWritable() {
    checkOpen();
    if (failure != null) {
      throw new StoreException("disk store " + directory + " refuses changes after an earlier failure; close and "
          + "reopen it to recover from its files", failure);
    }
  }

  private StoreException fail(String what, Exception e) {
    failure = new StoreException("disk store " + directory + " could not " + what + ": " + e, e);
    return failure;
  }
}
