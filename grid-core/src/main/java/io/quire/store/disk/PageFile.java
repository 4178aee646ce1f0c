package io.quire.store.disk;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.spi.store.CorruptPageException;
import io.quire.spi.store.CorruptStoreException;
import io.quire.spi.store.StoreException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.mapdb.DBException;
import org.mapdb.Serializer;
import org.mapdb.SortedTableMap;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;

/**
 * One immutable snapshot of the store, {@code pages-<generation>.db}: a MapDB {@link SortedTableMap} from the 16-byte
 * big-endian page address (MapDB compares byte arrays unsigned, so key order is address order) to the page record.
 *
 * <p>It is built once from a sorted stream into a temporary file, synced and renamed into place, and from then on only
 * read, through a read-only memory-mapped volume ({@link MappedReadOnlyVolume}; no MapDB file lock: the store's {@code LOCK}
 * file guards the directory). A lookup's binary search reads a few bytes at a time: through positional reads that
 * was a system call each, dozens per page-in, most of a larger-than-RAM get's time (a JFR profile of 100,000 x 1 KiB
 * with a tenth in RAM: 85% of the get loop's samples in {@code pread}). Mapped, they are memory reads. The file is
 * checked against its header when opened and never written again; a fault from a file truncated behind the store's
 * back surfaces as an {@link InternalError}, reported as a failed read of that file, not a crash.
 *
 * <p>Thread-safe for reads (MapDB's table is read-only). {@link #close} unmaps the file: its owner closes it under the
 * lock its reads hold, after it stopped using it.
 */
final class PageFile implements Closeable {

  /**
   * Records per MapDB node: one. A lookup copies out every value of the node it lands in (MapDB's byte-array
   * serializer has no way to skip to the one asked for), so a node of four page records copied 16 KiB to return 4;
   * a node of one costs the binary search two more probes of 16-byte keys. Files built with larger nodes read the
   * same way: the node size is in each table page, not in this constant.
   */
  private static final int NODE_SIZE = 1;

  private static final int MIN_TABLE_PAGE = 64 * 1024;
  private static final int MAX_TABLE_PAGE = 256 * 1024 * 1024;
  private static final int MAPDB_HEADER_BYTES = 64;
  private static final long SIZE_OFFSET = 16;
  private static final long PAGE_COUNT_OFFSET = 24;
  private static final long TABLE_PAGE_SIZE_OFFSET = 32;

  private final Path file;
  private final Volume volume;
  private final SortedTableMap<byte[], byte[]> table;

  private PageFile(Path file, Volume volume, SortedTableMap<byte[], byte[]> table) {
    this.file = file;
    this.volume = volume;
    this.table = table;
  }

  /**
   * MapDB's table page: it must hold a whole node of the longest records, and a few of them so pages are not mostly
   * padding. At least 64 KiB so small pages do not make a table of tiny pages.
   */
  static long tablePageSize(PageSize pageSize, int nodeSize) {
    long longestNode = nodeSize * (long) (GlobalAddress.BYTES + 5)
        + nodeSize * (long) (PageRecordCodec.RECORD_HEADER_BYTES + pageSize.bytes() + 5) + 16;
    return Math.max(MIN_TABLE_PAGE, Long.highestOneBit(4 * longestNode - 1) << 1);
  }

  /**
   * Writes the entries, which must come in strictly ascending address order, to {@code target} durably: into
   * {@code target.tmp}, synced, renamed, directory synced. Returns how many it wrote; there must be at least one,
   * since an empty table is represented by no file at all.
   */
  static long build(Path target, PageSize pageSize, Iterator<Map.Entry<byte[], byte[]>> sorted) throws IOException {
    return build(target, pageSize, sorted, NODE_SIZE);
  }

  /** {@link #build(Path, PageSize, Iterator)} with {@code nodeSize} records per MapDB node (tests: older files). */
  static long build(Path target, PageSize pageSize, Iterator<Map.Entry<byte[], byte[]>> sorted, int nodeSize)
      throws IOException {
    Path tmp = DiskFiles.tmpOf(target);
    Files.deleteIfExists(tmp);
    long tablePage = tablePageSize(pageSize, nodeSize);
    // No MapDB lock (-1): the store's LOCK file already keeps other stores out of the directory. The slice size is
    // the unit the volume grows by: one table page, so the file ends exactly after the last one.
    Volume volume = new FileChannelVol(tmp.toFile(), false, -1L, Long.numberOfTrailingZeros(tablePage), 0L);
    long count = 0;
    try {
      SortedTableMap.Sink<byte[], byte[]> sink = SortedTableMap.create(volume, Serializer.BYTE_ARRAY,
          Serializer.BYTE_ARRAY).pageSize(tablePage).nodeSize(nodeSize).createFromSink();
      while (sorted.hasNext()) {
        Map.Entry<byte[], byte[]> entry = sorted.next();
        sink.put(entry.getKey(), entry.getValue());
        count++;
      }
      if (count == 0) {
        throw new IllegalArgumentException("a page file holds at least one page");
      }
      sink.create(); // syncs the volume
    } catch (DBException e) {
      throw new IOException("MapDB could not build " + tmp + ": " + e, e);
    } finally {
      volume.close();
    }
    DiskFiles.publish(tmp, target);
    return count;
  }

  /**
   * Opens a page file read-only after checking MapDB's header against the file's length.
   *
   * @throws CorruptStoreException if the file is not a whole page table
   */
  static PageFile open(Path file, PageSize pageSize) {
    Volume volume;
    try {
      volume = new MappedReadOnlyVolume(file);
    } catch (IOException e) {
      throw new StoreException("could not open page file " + file + ": " + e, e);
    }
    try {
      checkHeader(file, volume);
      SortedTableMap<byte[], byte[]> table = SortedTableMap.open(volume, Serializer.BYTE_ARRAY,
          Serializer.BYTE_ARRAY);
      return new PageFile(file, volume, table);
    } catch (CorruptStoreException e) {
      volume.close();
      throw e;
    } catch (RuntimeException e) {
      volume.close();
      throw structureDamage(file, "MapDB could not open it", e);
    }
  }

  /** Checks what MapDB would trust blindly: a garbage page count or page size would make it read nonsense. */
  private static void checkHeader(Path file, Volume volume) {
    long length = volume.length();
    if (length < MAPDB_HEADER_BYTES) {
      throw new CorruptStoreException(file, "it is " + length + " bytes, shorter than a page table header", null);
    }
    long tablePage = volume.getLong(TABLE_PAGE_SIZE_OFFSET);
    long tablePages = volume.getLong(PAGE_COUNT_OFFSET) + 1;
    long size = volume.getLong(SIZE_OFFSET);
    if (tablePage < MIN_TABLE_PAGE || tablePage > MAX_TABLE_PAGE || Long.bitCount(tablePage) != 1) {
      throw new CorruptStoreException(file, "its header gives a table page size of " + tablePage, null);
    }
    if (tablePages < 1 || tablePages > length / tablePage || tablePages * tablePage != length) {
      throw new CorruptStoreException(file, "its header gives " + tablePages + " table pages of " + tablePage
          + " bytes, but the file is " + length + " bytes", null);
    }
    if (size < 1 || size > tablePages * tablePage / (GlobalAddress.BYTES + PageRecordCodec.RECORD_HEADER_BYTES)) {
      throw new CorruptStoreException(file, "its header gives an impossible page count of " + size, null);
    }
  }

  /**
   * The record stored at {@code address}, or null. MapDB failing inside the lookup means the table's index around
   * this address is damaged: that is reported against the page asked for, since that page cannot be read.
   *
   * @throws CorruptPageException if MapDB cannot look the address up
   */
  byte[] get(GlobalAddress address) {
    try {
      return table.get(address.toBytes());
    } catch (InternalError e) {
      throw mappingFault(e);
    } catch (RuntimeException e) {
      if (isIoFailure(e)) {
        throw new StoreException("could not read page " + address + " from " + file + ": " + e, e);
      }
      throw new CorruptPageException(address, file, "the page table's index around it is damaged: " + e, e);
    }
  }

  /** The addresses in {@code [start, end)} that have a page here, in order. */
  List<GlobalAddress> addressesIn(GlobalAddress start, GlobalAddress end) {
    List<GlobalAddress> found = new ArrayList<>();
    try {
      for (byte[] key : table.subMap(start.toBytes(), true, end.toBytes(), false).keySet()) {
        found.add(GlobalAddress.readFrom(key, 0));
      }
    } catch (InternalError e) {
      throw mappingFault(e);
    } catch (RuntimeException e) {
      throw structureDamage(file, "MapDB failed listing the pages in [" + start + ", " + end + ")", e);
    }
    return found;
  }

  /** Every entry in address order; the iterator throws {@link CorruptStoreException} on damage. */
  Iterator<Map.Entry<byte[], byte[]>> entries() {
    Iterator<Map.Entry<byte[], byte[]>> entries;
    try {
      entries = table.entryIterator();
    } catch (RuntimeException e) {
      throw structureDamage(file, "MapDB failed iterating it", e);
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public Map.Entry<byte[], byte[]> next() {
        try {
          return entries.next();
        } catch (InternalError e) {
          throw mappingFault(e);
        } catch (RuntimeException e) {
          throw structureDamage(file, "MapDB failed iterating it", e);
        }
      }
    };
  }

  /** How many pages the file holds. */
  long size() {
    return table.sizeLong();
  }

  Path file() {
    return file;
  }

  @Override
  public void close() {
    volume.close();
  }

  /** A fault in the mapping (the file shrank after it was opened, or the disk failed under it). */
  private StoreException mappingFault(InternalError e) {
    return new StoreException("could not read page file " + file + ": a fault in its memory mapping (the file was "
        + "truncated or changed behind the store's back, or its disk failed): " + e, e);
  }

  private static StoreException structureDamage(Path file, String what, RuntimeException e) {
    if (isIoFailure(e)) {
      return new StoreException("could not read page file " + file + ": " + what + ": " + e, e);
    }
    return new CorruptStoreException(file, what + ": " + e, e);
  }

  /** A real I/O error, as opposed to MapDB reading past the end because of a garbage offset. */
  private static boolean isIoFailure(RuntimeException e) {
    return e instanceof DBException.VolumeIOError && !(e.getCause() instanceof EOFException);
  }
}
