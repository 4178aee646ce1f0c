package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import io.quire.core.memory.UnallocatedAddressException;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Bytes too large for a bucket, each in a range of pages of its own (see {@code docs/design/cache-pages.md},
 * "Out-of-line ranges"). A range is written completely before any bucket points to it and never changed afterwards;
 * it is freed only after no bucket points to it any more. So a reader holding a {@link Ref} reads exactly the bytes it
 * names, or finds the range gone ({@link RangeUnreadableException}) and goes back to the bucket.
 *
 * <p>Thread-safe: it keeps no state of its own.
 */
final class ValueRanges {
  /** The range holds one entry's value, or its key then its value. */
  static final int KIND_ENTRY = 1;
  /** The range holds the entries of an overflowed bucket. */
  static final int KIND_BUCKET = 2;

  /** "QCEV": Quire Cache Entry Value. */
  private static final int MAGIC = 0x51434556;
  private static final int FORMAT = 1;
  /** magic, format, kind, two reserved bytes, length, crc. */
  static final int HEADER = 16;

  private final Memory memory;
  private final PageSize pageSize;
  private final Durability durability;

  ValueRanges(Memory memory, PageSize pageSize, Durability durability) {
    this.memory = requireNonNull(memory, "memory");
    this.pageSize = requireNonNull(pageSize, "pageSize");
    this.durability = requireNonNull(durability, "durability");
  }

  /** How many pages a range for {@code length} content bytes takes. */
  long pagesFor(int length) {
    return ((long) HEADER + length + pageSize.bytes() - 1) / pageSize.bytes();
  }

  /**
   * Allocates a range, writes {@code parts} one after the other into it, and returns its ref. If a write fails the
   * range is left allocated (a leak, never a dangling ref: no bucket points to it yet).
   */
  Ref write(int kind, byte[]... parts) {
    long total = 0;
    CRC32C crc = new CRC32C();
    for (byte[] part : parts) {
      total += part.length;
      crc.update(part);
    }
    if (total < 1 || total > Integer.MAX_VALUE - HEADER) {
      throw new IllegalArgumentException("an out-of-line range holds 1.." + (Integer.MAX_VALUE - HEADER)
          + " bytes, not " + total);
    }
    int length = (int) total;
    Ref ref = new Ref(memory.allocate(pagesFor(length), durability).start(), length, (int) crc.getValue());
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    header.putInt(MAGIC).put((byte) FORMAT).put((byte) kind).putShort((short) 0).putInt(length).putInt(ref.crc());
    Cursor content = new Cursor(parts);
    long pages = pagesFor(length);
    for (long i = 0; i < pages; i++) {
      int offset = i == 0 ? HEADER : 0;
      byte[] page = new byte[(int) Math.min(pageSize.bytes(), offset + content.remaining())];
      if (i == 0) {
        System.arraycopy(header.array(), 0, page, 0, HEADER);
      }
      content.copyTo(page, offset, page.length - offset);
      memory.write(ref.start().plusPages(i, pageSize), page);
    }
    return ref;
  }

  /**
   * The content of the range {@code ref} names.
   *
   * @throws RangeUnreadableException if the range is freed, or holds other bytes than the ref names
   */
  byte[] read(Ref ref, int kind) {
    Page first = page(ref, 0);
    ByteBuffer header = first.asReadOnlyBuffer();
    if (first.length() < HEADER || header.getInt() != MAGIC || header.get() != FORMAT || header.get() != kind
        || header.getShort() != 0 || header.getInt() != ref.length() || header.getInt() != ref.crc()) {
      throw new RangeUnreadableException(ref, "its header does not match the reference");
    }
    // The header matched the ref's length, so this allocation is the size that was written there, not a damaged one.
    byte[] content = new byte[ref.length()];
    int done = copy(first, HEADER, content, 0, ref);
    for (long i = 1; done < content.length; i++) {
      done += copy(page(ref, i), 0, content, done, ref);
    }
    CRC32C crc = new CRC32C();
    crc.update(content);
    if ((int) crc.getValue() != ref.crc()) {
      throw new RangeUnreadableException(ref, "its bytes fail the reference's checksum");
    }
    return content;
  }

  /**
   * Frees the range; the caller has made sure no bucket points to it any more. False when the memory refuses because
   * the range is not allocated here: on a cluster only the node that allocated a range can free it (see {@code
   * docs/design/cache-pages.md}, "Freeing on a cluster"), so the range stays allocated.
   */
  boolean free(Ref ref) {
    try {
      memory.free(ref.start());
      return true;
    } catch (UnallocatedAddressException notHere) {
      return false;
    }
  }

  private Page page(Ref ref, long index) {
    try {
      return memory.read(ref.start().plusPages(index, pageSize));
    } catch (UnallocatedAddressException e) {
      throw new RangeUnreadableException(ref, "it was freed", e);
    }
  }

  private int copy(Page page, int from, byte[] content, int at, Ref ref) {
    int wanted = Math.min(pageSize.bytes() - from, content.length - at);
    if (page.length() < from + wanted) {
      throw new RangeUnreadableException(ref, "page " + page.address() + " holds " + page.length() + " bytes, "
          + "fewer than were written");
    }
    System.arraycopy(page.sharedBytes(), from, content, at, wanted);
    return wanted;
  }

  /** The range's pages, for tests and diagnostics. */
  AddressRange rangeOf(Ref ref) {
    return new AddressRange(ref.start(), pagesFor(ref.length()), pageSize);
  }

  /** Reads byte arrays one after the other, as if they were one. */
  private static final class Cursor {
    private final byte[][] parts;
    private int part;
    private int offset;
    private long remaining;

    Cursor(byte[][] parts) {
      this.parts = parts;
      for (byte[] p : parts) {
        remaining += p.length;
      }
    }

    long remaining() {
      return remaining;
    }

    void copyTo(byte[] target, int at, int length) {
      while (length > 0) {
        int n = Math.min(length, parts[part].length - offset);
        System.arraycopy(parts[part], offset, target, at, n);
        at += n;
        length -= n;
        offset += n;
        remaining -= n;
        if (offset == parts[part].length) {
          part++;
          offset = 0;
        }
      }
    }
  }
}
