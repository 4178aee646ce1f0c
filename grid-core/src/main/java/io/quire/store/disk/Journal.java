package io.quire.store.disk;

import io.quire.spi.store.CorruptStoreException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * An append-only log of changes, {@code journal-<generation>.log}: a header, then records.
 *
 * <p>Header (25 bytes): magic {@code QUIREJNL}, format version (int), generation (long), flags (byte; bit 0: a page
 * file belongs to this generation), CRC32C of the preceding 21 bytes. The header is written to a temporary file and
 * renamed into place, so a journal file either has a whole header or does not exist.
 *
 * <p>Record: magic byte {@code 0xA7}, type byte, payload length (int), payload, CRC32C (int) over type, length and
 * payload. A crash can leave the last records torn: opening stops at the first record whose framing is broken
 * (bad magic, unknown type, impossible length, cut off by the end of the file) or whose CRC fails with no intact
 * record after it, truncates the file there and logs how many bytes it dropped. A CRC failure followed by intact
 * records cannot be a torn write: it is damage, reported to the replayer, which decides. Broken framing followed
 * by an intact record somewhere further on is damage too, but the records after it cannot be found reliably: the
 * dropped bytes are saved to {@code journal-<g>.log.discarded-at-<offset>} and the loss is logged as severe.
 *
 * <p>Reads of records in the file's first part go through a read-only memory mapping of it, renewed to the file's
 * end once a read misses it and {@link #REMAP_AFTER_BYTES} more were appended; the rest through {@code pread}.
 *
 * <p>Not thread-safe: the owning store serialises every call.
 */
final class Journal implements Closeable {

  static final byte PAGE = 1;
  static final byte REMOVE = 2;
  static final byte REMOVE_RANGE = 3;

  /** Bytes of a record around its payload: magic, type, length before; CRC after. */
  static final int FRAME_BYTES = 1 + 1 + Integer.BYTES + Integer.BYTES;

  static final int HEADER_BYTES = 8 + Integer.BYTES + Long.BYTES + 1 + Integer.BYTES;

  private static final Logger LOG = Logger.getLogger(Journal.class.getName());
  private static final byte[] HEADER_MAGIC = "QUIREJNL".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT_VERSION = 1;
  private static final int FLAG_HAS_PAGE_FILE = 1;
  private static final byte RECORD_MAGIC = (byte) 0xA7;
  private static final int ADDRESS_BYTES = 16;

  /** Receives the records of a journal being opened, in order. */
  interface Replayer {
    /**
     * One record; {@code intact} is false for a record whose CRC failed although intact records follow it.
     */
    void record(byte type, long offset, byte[] payload, boolean intact);
  }

  /** A record read back: its type, payload and whether its CRC matched. */
  record Frame(byte type, byte[] payload, boolean intact, int length) {}

  /**
   * How far the file must have grown past its mapped part before a read that misses the mapping maps it again: the
   * records appended since are read with {@code pread} until then, so appends interleaved with reads do not remap
   * (a mapping costs two system calls and a TLB shoot-down).
   */
  static final long REMAP_AFTER_BYTES = 4L * 1024 * 1024;

  private final Path file;
  // Replaced only by uninterruptibly(), when an interrupt closed it.
  private FileChannel channel;
  private final boolean hasPageFile;
  private final int maxPagePayload;
  private long end;
  private boolean unforced;
  // Records that end before mappedEnd are read from `mapped`, a read-only mapping of the file's first mappedEnd bytes:
  // a page-in from the journal was two preads per record, half of a larger-than-RAM get. Never mapped past `end`
  // (mapping past a file's end would extend it) and only while the file is under 2 GiB (one buffer); the file is
  // never truncated below `end` once open, so a mapped byte is always backed.
  private MappedByteBuffer mapped;
  private long mappedEnd;

  private Journal(Path file, FileChannel channel, boolean hasPageFile, int maxPagePayload, long end) {
    this.file = file;
    this.channel = channel;
    this.hasPageFile = hasPageFile;
    this.maxPagePayload = maxPagePayload;
    this.end = end;
  }

  /**
   * Creates an empty journal for {@code generation}, durably: header written to a temporary file, synced, renamed.
   *
   * @param maxPagePayload the longest payload a PAGE record can have (address plus the longest page record)
   */
  static Journal create(Path file, long generation, boolean hasPageFile, int maxPagePayload) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.put(HEADER_MAGIC).putInt(FORMAT_VERSION).putLong(generation).put((byte) (hasPageFile
        ? FLAG_HAS_PAGE_FILE : 0));
    header.putInt(crc(header.array(), 0, header.position()));
    DiskFiles.writeAtomically(file, header.array());
    return new Journal(file, openChannel(file), hasPageFile, maxPagePayload, HEADER_BYTES);
  }

  /**
   * Opens the journal of {@code generation}, hands every record to {@code replayer} and cuts off a torn tail.
   *
   * @throws CorruptStoreException if the header is damaged or names another generation
   */
  static Journal open(Path file, long generation, int maxPagePayload, Replayer replayer) throws IOException {
    FileChannel channel = openChannel(file);
    try {
      boolean hasPageFile = readHeader(file, channel, generation);
      Journal journal = new Journal(file, channel, hasPageFile, maxPagePayload, channel.size());
      journal.replay(replayer);
      return journal;
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  private static FileChannel openChannel(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static boolean readHeader(Path file, FileChannel channel, long generation) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    if (!DiskFiles.readFully(channel, header, 0)) {
      throw new CorruptStoreException(file, "the journal is " + channel.size() + " bytes, shorter than its "
          + HEADER_BYTES + "-byte header", null);
    }
    byte[] bytes = header.array();
    if (!Arrays.equals(bytes, 0, HEADER_MAGIC.length, HEADER_MAGIC, 0, HEADER_MAGIC.length)) {
      throw new CorruptStoreException(file, "it does not start with the journal magic", null);
    }
    int storedCrc = header.getInt(HEADER_BYTES - Integer.BYTES);
    if (storedCrc != crc(bytes, 0, HEADER_BYTES - Integer.BYTES)) {
      throw new CorruptStoreException(file, "its header fails its CRC", null);
    }
    int format = header.getInt(HEADER_MAGIC.length);
    if (format != FORMAT_VERSION) {
      throw new CorruptStoreException(file, "unknown journal format " + format, null);
    }
    long storedGeneration = header.getLong(HEADER_MAGIC.length + Integer.BYTES);
    if (storedGeneration != generation) {
      throw new CorruptStoreException(file, "its header says generation " + storedGeneration + ", its name "
          + generation, null);
    }
    return (header.get(HEADER_MAGIC.length + Integer.BYTES + Long.BYTES) & FLAG_HAS_PAGE_FILE) != 0;
  }

  private void replay(Replayer replayer) throws IOException {
    long size = end;
    long at = HEADER_BYTES;
    while (at < size) {
      Frame frame = read(at);
      if (frame == null || (!frame.intact() && !intactRecordFollows(at + frame.length()))) {
        truncateTornTail(at, size);
        return;
      }
      replayer.record(frame.type(), at, frame.payload(), frame.intact());
      at += frame.length();
    }
  }

  /** True when some record after {@code from} is intact, walking while the framing holds. */
  private boolean intactRecordFollows(long from) throws IOException {
    long at = from;
    while (at < end) {
      Frame frame = read(at);
      if (frame == null) {
        return false;
      }
      if (frame.intact()) {
        return true;
      }
      at += frame.length();
    }
    return false;
  }

  private void truncateTornTail(long at, long size) throws IOException {
    long intactAt = findIntactRecord(at + 1, size);
    if (intactAt >= 0) {
      // A crash tears only the end; an intact record further on means the damage is elsewhere (or a power loss left
      // a hole in unforced data). Either way keep the bytes for an operator rather than destroy them.
      Path saved = file.resolveSibling(file.getFileName() + ".discarded-at-" + at);
      try (FileChannel out = FileChannel.open(saved, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.transferTo(at, size - at, out);
        out.force(true);
      }
      DiskFiles.syncDirectory(file.toAbsolutePath().getParent());
      LOG.severe(() -> "journal " + file + " has a broken record at offset " + at + " but an intact one at offset "
          + intactAt + ": this is damage, not a torn write. The " + (size - at) + " bytes from offset " + at
          + " were saved to " + saved + " and dropped from the store; pages written after that point may be "
          + "missing or stale");
    } else {
      LOG.warning(() -> "journal " + file + " ends in a torn record at offset " + at + ", left by a crash during an "
          + "unacknowledged write; discarding its last " + (size - at) + " bytes");
    }
    channel.truncate(at);
    channel.force(false);
    end = at;
  }

  /** The offset of the first intact record starting in {@code [from, size)}, scanning byte by byte; -1 if none. */
  private long findIntactRecord(long from, long size) throws IOException {
    // Only reached when opening a journal with a broken record, so reading the rest of it into memory is fine.
    int length = (int) Math.min(size - from, 1L << 30);
    if (length <= FRAME_BYTES) {
      return -1;
    }
    ByteBuffer tail = ByteBuffer.allocate(length);
    DiskFiles.readFully(channel, tail, from);
    byte[] bytes = tail.array();
    for (int p = 0; p + FRAME_BYTES <= length; p++) {
      if (bytes[p] != RECORD_MAGIC) {
        continue;
      }
      int payload = tail.getInt(p + 2);
      if (!plausibleLength(bytes[p + 1], payload) || p + FRAME_BYTES + payload > length) {
        continue;
      }
      if (tail.getInt(p + 6 + payload) == crc(bytes, p + 1, 1 + Integer.BYTES + payload)) {
        return from + p;
      }
    }
    return -1;
  }

  /**
   * The record at {@code offset}, or null when its framing is broken or the file ends inside it. A record whose CRC
   * fails is returned with {@code intact} false.
   */
  Frame read(long offset) throws IOException {
    if (offset + 1 + 1 + Integer.BYTES <= mappedEndFor(offset)) {
      int at = (int) offset;
      byte type = mapped.get(at + 1);
      int length = mapped.getInt(at + 2);
      if (mapped.get(at) != RECORD_MAGIC || !plausibleLength(type, length) || offset + FRAME_BYTES + length > end) {
        return null;
      }
      if (offset + FRAME_BYTES + length <= mappedEnd) {
        byte[] payload = new byte[length];
        mapped.get(at + 1 + 1 + Integer.BYTES, payload);
        CRC32C crc = new CRC32C();
        crc.update(mapped.slice(at + 1, 1 + Integer.BYTES + length));
        boolean intact = (int) crc.getValue() == mapped.getInt(at + 1 + 1 + Integer.BYTES + length);
        return new Frame(type, payload, intact, FRAME_BYTES + length);
      }
    }
    return uninterruptibly(() -> readFromChannel(offset));
  }

  private Frame readFromChannel(long offset) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(1 + 1 + Integer.BYTES);
    if (!DiskFiles.readFully(channel, head, offset) || head.get(0) != RECORD_MAGIC) {
      return null;
    }
    byte type = head.get(1);
    int length = head.getInt(2);
    if (!plausibleLength(type, length) || offset + FRAME_BYTES + length > end) {
      return null;
    }
    ByteBuffer rest = ByteBuffer.allocate(length + Integer.BYTES);
    if (!DiskFiles.readFully(channel, rest, offset + head.capacity())) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(head.array(), 1, head.capacity() - 1);
    crc.update(rest.array(), 0, length);
    boolean intact = (int) crc.getValue() == rest.getInt(length);
    return new Frame(type, Arrays.copyOf(rest.array(), length), intact, FRAME_BYTES + length);
  }

  /** The end of the mapped part, after mapping the file again if {@code offset} lies past it and it grew enough. */
  private long mappedEndFor(long offset) throws IOException {
    if (offset >= mappedEnd && end - mappedEnd >= REMAP_AFTER_BYTES && end <= Integer.MAX_VALUE) {
      MappedByteBuffer old = mapped;
      mapped = uninterruptibly(() -> channel.map(FileChannel.MapMode.READ_ONLY, 0, end));
      mappedEnd = end;
      if (old != null) {
        Unmapper.unmap(old);
      }
    }
    return mappedEnd;
  }

  /** How often {@link #uninterruptibly} runs an operation that interrupts keep cutting short. */
  private static final int ATTEMPTS = 5;

  /** An operation on {@link #channel}, for {@link #uninterruptibly}. */
  @FunctionalInterface
  private interface ChannelOperation<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code operation} as if the calling thread were not interrupted. NIO closes a channel that an interrupted
   * thread uses (ClosedByInterruptException), so a cache call on a thread whose task was cancelled would have closed
   * the journal for every later caller. The interrupt status is cleared for the call and restored afterwards; an
   * interrupt that lands during the call closes the channel anyway, so the file is opened again and the operation
   * (a positional read, write or force, safe to repeat) runs again, up to {@value #ATTEMPTS} times in all.
   */
  private <T> T uninterruptibly(ChannelOperation<T> operation) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return operation.run();
        } catch (ClosedByInterruptException closed) {
          interrupted = true;
          Thread.interrupted();
          channel = openChannel(file);
          if (attempt == ATTEMPTS) {
            throw closed;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean plausibleLength(byte type, int length) {
    return switch (type) {
      case PAGE -> length >= ADDRESS_BYTES + PageRecordCodec.RECORD_HEADER_BYTES && length <= maxPagePayload;
      case REMOVE -> length == ADDRESS_BYTES;
      case REMOVE_RANGE -> length == ADDRESS_BYTES + Long.BYTES;
      default -> false;
    };
  }

  /**
   * Appends a record whose payload is the concatenation of {@code parts}, without forcing it; returns its offset.
   * If the write fails the file is cut back to where it ended, so no half record sits before later ones.
   */
  long append(byte type, byte[]... parts) throws IOException {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES + length);
    frame.put(RECORD_MAGIC).put(type).putInt(length);
    for (byte[] part : parts) {
      frame.put(part);
    }
    frame.putInt(crc(frame.array(), 1, frame.position() - 1));
    frame.flip();
    long offset = end;
    try {
      // Positional: a retry after an interrupt writes the whole record over whatever part of it got written.
      uninterruptibly(() -> {
        DiskFiles.writeFully(channel, frame.duplicate(), offset);
        return null;
      });
    } catch (IOException e) {
      try {
        channel.truncate(offset);
      } catch (IOException truncateFailure) {
        e.addSuppressed(truncateFailure);
      }
      throw e;
    }
    end = offset + frame.capacity();
    unforced = true;
    return offset;
  }

  /** Makes every appended record durable. */
  void force() throws IOException {
    if (unforced) {
      // force(false): the data and the file length, which is all a reader needs; no need to sync the mtime.
      uninterruptibly(() -> {
        channel.force(false);
        return null;
      });
      unforced = false;
    }
  }

  /** How many bytes from the file's start reads take from the mapping. */
  long mappedBytes() {
    return mappedEnd;
  }

  /** The file's length: header plus records. */
  long size() {
    return end;
  }

  /** Whether a page file was written for this journal's generation (the header says so). */
  boolean hasPageFile() {
    return hasPageFile;
  }

  Path file() {
    return file;
  }

  /** Closes the file without forcing it, and unmaps it (a reader after this fails; the store's lock sees to it). */
  @Override
  public void close() throws IOException {
    MappedByteBuffer old = mapped;
    mapped = null;
    mappedEnd = 0;
    if (old != null) {
      Unmapper.unmap(old);
    }
    channel.close();
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
