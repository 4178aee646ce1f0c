package io.quire.store.disk;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.core.page.PageChecksumMismatch;
import io.quire.spi.store.CorruptPageException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The stored form of one page, the same in the journal and in page files: format byte, flags (bit 0: volatile),
 * version (long), checksum (int), data length (int), data. The dirty bit is not stored: the disk copy is by
 * definition the clean one. Decoding verifies every field and the page checksum (which covers the address, so a
 * record found under the wrong address fails too), and reports any damage as a {@link CorruptPageException}.
 */
final class PageRecordCodec {

  /** The first byte of every page record; bumped when the record layout changes. */
  static final byte RECORD_FORMAT = 1;

  /** Record bytes before the page data: format, flags, version, checksum, length. */
  static final int RECORD_HEADER_BYTES = 1 + 1 + Long.BYTES + Integer.BYTES + Integer.BYTES;

  private static final int FLAG_VOLATILE = 1;
  private static final int KNOWN_FLAGS = FLAG_VOLATILE;

  private final PageSize pageSize;

  PageRecordCodec(PageSize pageSize) {
    this.pageSize = requireNonNull(pageSize, "pageSize");
  }

  /** The longest record a page of this size can have. */
  int maxRecordBytes() {
    return RECORD_HEADER_BYTES + pageSize.bytes();
  }

  /**
   * The record of {@code page}.
   *
   * @throws IllegalArgumentException if the page is longer than the page size or its address is not page-aligned
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

  /**
   * The page in {@code record}, verified, restored at {@code address}.
   *
   * @param file the file the record was read from, named in the exception
   * @throws CorruptPageException if the record is damaged in any way
   */
  Page decode(GlobalAddress address, byte[] record, Path file) {
    if (record.length < RECORD_HEADER_BYTES) {
      throw new CorruptPageException(address, file, "its record is " + record.length + " bytes, shorter than the "
          + RECORD_HEADER_BYTES + "-byte header", null);
    }
    ByteBuffer in = ByteBuffer.wrap(record);
    byte format = in.get();
    if (format != RECORD_FORMAT) {
      throw new CorruptPageException(address, file, "unknown record format " + format, null);
    }
    int flags = in.get() & 0xFF;
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new CorruptPageException(address, file, "unknown flags 0x" + Integer.toHexString(flags), null);
    }
    long version = in.getLong();
    if (version < 0) {
      throw new CorruptPageException(address, file, "negative version " + version, null);
    }
    int checksum = in.getInt();
    int length = in.getInt();
    if (length < 0 || length > pageSize.bytes() || length != in.remaining()) {
      throw new CorruptPageException(address, file, "data length " + length + " with " + in.remaining()
          + " bytes present and a page size of " + pageSize.bytes(), null);
    }
    byte[] data = new byte[length];
    in.get(data);
    try {
      return Page.restore(address, version, false, (flags & FLAG_VOLATILE) != 0, checksum, data);
    } catch (PageChecksumMismatch e) {
      throw new CorruptPageException(address, file, "checksum mismatch", e);
    }
  }
}
