package io.quire.store.disk;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.core.page.PageChecksumMismatch;
import io.quire.spi.store.CorruptPageException;
import io.quire.spi.store.CorruptStoreException;
import io.quire.spi.store.PageStore;
import io.quire.spi.store.StoreClosedException;
import io.quire.spi.store.StoreException;
import io.quire.spi.store.StoreFileLockedException;
import java.nio.ByteBuffer;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBException;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * The disk tier: one MapDB file per node holding pages in a B-tree keyed by the 16-byte big-endian page address, so
 * that key order is address order and a range of pages is one sub-map.
 *
 * <p>The file is opened with MapDB's write-ahead log, so {@link #write} (put plus commit) has reached the disk file
 * and been synced when it returns. {@link #writeLazily} puts without committing: MapDB keeps the uncommitted record
 * visible to this store's reads, and the next commit ({@link #write}, {@link #remove}, {@link #removeRange}, {@link
 * #flush}, {@link #close}) makes it durable. A crash in between loses it.
 *
 * <p>A commit writes the pending records to {@code <file>.wal.0} (then {@code .wal.1}, ... per 16 MiB of log) and
 * syncs it, copies them into the main file, syncs that and deletes the log. MapDB 3.1.0 never replays a leftover
 * log when it opens a file, so the log does not protect against a crash in the middle of a commit: what protects a
 * returned {@code write} is that the main file was synced before it returned.
 *
 * <p>Concurrency: every MapDB call, reads included, runs under the one {@link #lock}. A commit moves records from
 * the log into the main file under readers' feet, and the disk tier is the slow path, so one lock is the simplest
 * discipline that is obviously correct; a commit costs milliseconds of fsync anyway.
 *
 * <p>Each page value is a hand-written record (see {@link #encode}); decoding verifies it and the page checksum, and
 * any damage becomes a {@link CorruptPageException} rather than data.
 */
public final class MapDbPageStore implements PageStore {

  /** The layout of the DB (names and meta records); bumped when it changes incompatibly. */
  static final int STORE_FORMAT_VERSION = 1;

  /** The first byte of every page record; bumped when the record layout changes. */
  static final byte RECORD_FORMAT = 1;

  /** Record bytes before the page data: format, flags, version, checksum, length. */
  static final int RECORD_HEADER_BYTES = 1 + 1 + Long.BYTES + Integer.BYTES + Integer.BYTES;

  private static final int FLAG_VOLATILE = 1;
  private static final int KNOWN_FLAGS = FLAG_VOLATILE;

  private static final String FORMAT_VERSION_NAME = "quire.formatVersion";
  private static final String PAGE_SIZE_NAME = "quire.pageSize";
  private static final String PAGES_NAME = "quire.pages";

  private final Path file;
  private final PageSize pageSize;
  private final ReentrantLock lock = new ReentrantLock();
  private final DB db;
  private final BTreeMap<byte[], byte[]> pages;
  private boolean closed;

  private MapDbPageStore(Path file, PageSize pageSize, DB db, BTreeMap<byte[], byte[]> pages) {
    this.file = file;
    this.pageSize = pageSize;
    this.db = db;
    this.pages = pages;
  }

  /**
   * Opens the store file {@code file}, creating it when absent. MapDB keeps its write-ahead log next to it in
   * {@code <file>.wal.<n>} files while uncommitted writes are pending.
   *
   * <p>When MapDB fails inside its own constructor (a damaged header, an empty file) it does not release its file
   * lock; the lock stays held in this JVM until the garbage collector reclaims MapDB's file handle. Move a damaged
   * file away and restore a copy under its name rather than repairing it in place and reopening at once.
   *
   * @throws StoreFileLockedException if another process, or another store in this JVM, has the file open
   * @throws CorruptStoreException if the file exists but MapDB cannot open it
   * @throws StoreException if the file was made with another page size, by an unknown format version, or is not a
   *     page store, or if it cannot be created
   */
  public static MapDbPageStore open(Path file, PageSize pageSize) {
    requireNonNull(file, "file");
    requireNonNull(pageSize, "pageSize");
    boolean existed = Files.exists(file);
    DB db = null;
    try {
      db = DBMaker.fileDB(file.toFile()).transactionEnable().make();
      checkOrInitMeta(db, file, pageSize);
      // Values live outside the B-tree nodes: inline 4 KiB values would make every put rewrite a whole node of
      // them. The counter keeps pageCount() from walking the tree.
      BTreeMap<byte[], byte[]> pages = db.treeMap(PAGES_NAME, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
          .valuesOutsideNodesEnable()
          .counterEnable()
          .createOrOpen();
      db.commit();
      return new MapDbPageStore(file, pageSize, db, pages);
    } catch (StoreException e) {
      closeAfterFailedOpen(db, e);
      throw e;
    } catch (DBException.FileLocked | OverlappingFileLockException e) {
      // MapDB reports a lock held by this JVM as FileLocked caused by OverlappingFileLockException.
      closeAfterFailedOpen(db, e);
      throw new StoreFileLockedException(file, e);
    } catch (RuntimeException e) {
      closeAfterFailedOpen(db, e);
      if (existed) {
        throw new CorruptStoreException(file, "MapDB could not open it: " + describe(e), e);
      }
      throw new StoreException("could not create store file " + file + ": " + describe(e), e);
    }
  }

  /** Initialises a new file's meta records, or checks an existing file's against what this code reads. */
  private static void checkOrInitMeta(DB db, Path file, PageSize pageSize) {
    if (!db.exists(FORMAT_VERSION_NAME)) {
      List<String> names = new ArrayList<>();
      db.getAllNames().forEach(names::add);
      // A file with no names at all is one whose creation never committed: nothing is lost by starting it afresh.
      if (!names.isEmpty()) {
        throw new StoreException("store file " + file + " is a MapDB file but not a Quire page store (it holds "
            + names + "); give the node a data directory of its own");
      }
      db.atomicInteger(FORMAT_VERSION_NAME, STORE_FORMAT_VERSION).create();
      db.atomicInteger(PAGE_SIZE_NAME, pageSize.bytes()).create();
      db.commit();
      return;
    }
    int formatVersion = db.atomicInteger(FORMAT_VERSION_NAME).open().get();
    if (formatVersion != STORE_FORMAT_VERSION) {
      throw new StoreException("store file " + file + " has format version " + formatVersion + ", but this "
          + "Quire reads only version " + STORE_FORMAT_VERSION + "; open it with the Quire release that wrote it");
    }
    Atomic.Integer storedPageSize = db.exists(PAGE_SIZE_NAME) ? db.atomicInteger(PAGE_SIZE_NAME).open() : null;
    if (storedPageSize == null) {
      throw new CorruptStoreException(file, "its page size record is missing", null);
    }
    if (storedPageSize.get() != pageSize.bytes()) {
      throw new StoreException("store file " + file + " was made with a page size of " + storedPageSize.get()
          + " bytes, but this grid uses " + pageSize.bytes() + " bytes; a grid's page size cannot change, so start "
          + "the node with the page size of its data or with an empty data directory");
    }
  }

  private static void closeAfterFailedOpen(DB db, Exception failure) {
    if (db == null) {
      return;
    }
    try {
      // Closing without commit drops whatever the failed open put in; nothing the caller relies on.
      db.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws CorruptPageException if the stored record is damaged
   */
  @Override
  public Page read(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    byte[] record = locked("read page " + pageAddress, () -> pages.get(pageAddress.toBytes()));
    return record == null ? null : decode(pageAddress, record);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the page is longer than the page size or its address is not page-aligned
   */
  @Override
  public void write(Page page) {
    byte[] record = encode(page);
    locked("write page " + page.address(), () -> {
      pages.put(page.address().toBytes(), record);
      db.commit();
      return null;
    });
  }

  /** {@inheritDoc} Committed by the next write, remove, flush or close of this store. */
  @Override
  public void writeLazily(Page page) {
    byte[] record = encode(page);
    locked("write page " + page.address(), () -> pages.put(page.address().toBytes(), record));
  }

  @Override
  public boolean remove(GlobalAddress pageAddress) {
    requireNonNull(pageAddress, "pageAddress");
    return locked("remove page " + pageAddress, () -> {
      boolean removed = pages.remove(pageAddress.toBytes()) != null;
      if (removed) {
        db.commit();
      }
      return removed;
    });
  }

  @Override
  public long removeRange(AddressRange range) {
    requireNonNull(range, "range");
    return locked("remove range " + range, () -> {
      // Collect first: removing while iterating a MapDB sub-map view is not something to rely on.
      List<byte[]> keys = new ArrayList<>(pages.subMap(range.start().toBytes(), true, range.end().toBytes(), false)
          .keySet());
      for (byte[] key : keys) {
        pages.remove(key);
      }
      if (!keys.isEmpty()) {
        db.commit();
      }
      return (long) keys.size();
    });
  }

  @Override
  public void flush() {
    locked("flush", () -> {
      db.commit();
      return null;
    });
  }

  @Override
  public long pageCount() {
    return locked("count pages", pages::sizeLong);
  }

  /** Commits lazily written pages and closes the file; a second close does nothing. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      RuntimeException commitFailure = null;
      try {
        db.commit();
      } catch (RuntimeException e) {
        commitFailure = e;
      }
      try {
        // Close even when the commit failed, or the file lock stays held until the JVM exits.
        db.close();
      } catch (RuntimeException e) {
        if (commitFailure == null) {
          throw failure("close", e);
        }
        commitFailure.addSuppressed(e);
      }
      if (commitFailure != null) {
        throw failure("commit pending writes at close", commitFailure);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The store file. */
  public Path file() {
    return file;
  }

  /** The page size the file was made with. */
  public PageSize pageSize() {
    return pageSize;
  }

  @Override
  public String toString() {
    return "MapDbPageStore[" + file + ", pages of " + pageSize + "]";
  }

  private <T> T locked(String what, Supplier<T> action) {
    lock.lock();
    try {
      if (closed) {
        throw new StoreClosedException(toString());
      }
      return action.get();
    } catch (StoreException | StoreClosedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(what, e);
    } finally {
      lock.unlock();
    }
  }

  private StoreException failure(String what, RuntimeException e) {
    if (e instanceof DBException.DataCorruption) {
      return new CorruptStoreException(file, "MapDB found damage during " + what + ": " + describe(e), e);
    }
    return new StoreException("disk store " + file + " could not " + what + ": " + describe(e), e);
  }

  private static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * The stored form of a page: format byte, flags (bit 0: volatile), version (long), checksum (int), data length
   * (int), data. The dirty bit is not stored: the disk copy is by definition the clean one.
   */
  byte[] encode(Page page) {
    requireNonNull(page, "page");
    if (page.length() > pageSize.bytes()) {
      throw new IllegalArgumentException(page + " is longer than the page size of " + pageSize);
    }
    if (!page.address().isPageAligned(pageSize)) {
      throw new IllegalArgumentException(page + " is not at the start of a page of " + pageSize);
    }
    ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_BYTES + page.length());
    record.put(RECORD_FORMAT)
        .put((byte) (page.isVolatile() ? FLAG_VOLATILE : 0))
        .putLong(page.version())
        .putInt(page.checksum())
        .putInt(page.length())
        .put(page.asReadOnlyBuffer());
    return record.array();
  }

  /** The page in {@code record}, verified; restored at the key's address so a record under the wrong key fails. */
  Page decode(GlobalAddress address, byte[] record) {
    if (record.length < RECORD_HEADER_BYTES) {
      throw corrupt(address, "its record is " + record.length + " bytes, shorter than the " + RECORD_HEADER_BYTES
          + "-byte header", null);
    }
    ByteBuffer in = ByteBuffer.wrap(record);
    byte format = in.get();
    if (format != RECORD_FORMAT) {
      throw corrupt(address, "unknown record format " + format, null);
    }
    int flags = in.get() & 0xFF;
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw corrupt(address, "unknown flags 0x" + Integer.toHexString(flags), null);
    }
    long version = in.getLong();
    if (version < 0) {
      throw corrupt(address, "negative version " + version, null);
    }
    int checksum = in.getInt();
    int length = in.getInt();
    if (length < 0 || length > pageSize.bytes() || length != in.remaining()) {
      throw corrupt(address, "data length " + length + " with " + in.remaining() + " bytes present and a page "
          + "size of " + pageSize.bytes(), null);
    }
    byte[] data = new byte[length];
    in.get(data);
    try {
      return Page.restore(address, version, false, (flags & FLAG_VOLATILE) != 0, checksum, data);
    } catch (PageChecksumMismatch e) {
      throw corrupt(address, "checksum mismatch", e);
    }
  }

  private CorruptPageException corrupt(GlobalAddress address, String problem, Throwable cause) {
    return new CorruptPageException(address, file, problem, cause);
  }
}
