package io.quire.jcache.store;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec of bucket pages (see {@code docs/design/cache-pages.md}, "Bucket pages"). Decoding checks every count and
 * length against the bytes that are there before it allocates, so damaged bytes end in a {@link StoreFormatException}
 * that names the page, never in a huge allocation or a loop.
 */
final class BucketPage {
  /** The format this Quire writes: leaves carry a directory of fingerprints and lengths. */
  static final int FORMAT = 2;
  /** The first format: leaves without a directory. Still read; a write rewrites such a leaf in {@link #FORMAT}. */
  static final int FORMAT_V1 = 1;
  static final int KIND_LEAF = 1;
  static final int KIND_SPLIT = 2;
  static final int KIND_OVERFLOW = 3;

  /** format, kind, entry count (unsigned 16 bits). */
  static final int LEAF_HEADER = 4;
  /** format, kind, two reserved bytes, entry count, ref. */
  static final int OVERFLOW_BYTES = 4 + Integer.BYTES + Ref.BYTES;
  /** A leaf never holds more: the count field has 16 bits. */
  static final int MAX_LEAF_ENTRIES = 0xFFFF;
  /** A directory record: fingerprint (high 12 bits), then the entry's length (low 20 bits). */
  static final int RECORD = Integer.BYTES;
  static final int LENGTH_BITS = 20;
  static final int LENGTH_MASK = (1 << LENGTH_BITS) - 1;
  static final int FINGERPRINT_MASK = 0xFFF;

  /**
   * The 12-bit fingerprint of a key's hash: its lowest bits, since the highest ones place the key in the trie and so
   * are alike in every entry of a deep leaf.
   */
  static int fingerprint(long keyHash) {
    return (int) keyHash & FINGERPRINT_MASK;
  }

  private BucketPage() {}

  /**
   * Decodes the bucket page at {@code address}.
   *
   * @param atDepthLimit whether the bucket is on the trie's deepest level, where it can never be split
   */
  static Bucket decode(GlobalAddress address, Page page, boolean atDepthLimit) {
    byte[] bytes = page.sharedBytes();
    if (bytes.length == 0 || bytes[0] == 0) {
      for (byte b : bytes) {
        if (b != 0) {
          throw new StoreFormatException(address, "the page starts with a zero format byte but is not empty: "
              + "the page is damaged or not a bucket");
        }
      }
      return Bucket.absent(page.version());
    }
    int format = bytes[0] & 0xFF;
    if (format != FORMAT && format != FORMAT_V1) {
      throw new StoreFormatException(address, "bucket format version " + format + " is not one of the versions "
          + FORMAT_V1 + " and " + FORMAT + " this Quire reads: the page is damaged, or was written by a newer Quire");
    }
    int kind = bytes.length < 2 ? 0 : bytes[1] & 0xFF;
    ByteBuffer in = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    switch (kind) {
      case KIND_LEAF:
        if (bytes.length < LEAF_HEADER) {
          throw new StoreFormatException(address, "leaf header is cut short at " + bytes.length + " bytes");
        }
        in.position(2);
        int count = in.getShort() & 0xFFFF;
        return Bucket.leaf(page.version(), format == FORMAT_V1 ? readSlots(address, in, count)
            : readDirectory(address, bytes, count));
      case KIND_SPLIT:
        if (atDepthLimit) {
          throw new StoreFormatException(address, "a bucket on the trie's deepest level is marked split: the page "
              + "is damaged");
        }
        return Bucket.split(page.version());
      case KIND_OVERFLOW:
        if (!atDepthLimit) {
          throw new StoreFormatException(address, "an overflowed bucket above the trie's deepest level: the page "
              + "is damaged");
        }
        if (bytes.length < OVERFLOW_BYTES) {
          throw new StoreFormatException(address, "overflowed bucket is cut short at " + bytes.length + " bytes");
        }
        in.position(4);
        int entries = in.getInt();
        GlobalAddress start = new GlobalAddress(in.getLong(), in.getLong());
        int length = in.getInt();
        int crc = in.getInt();
        if (entries < 1 || length < entries) {
          throw new StoreFormatException(address, "overflowed bucket claims " + entries + " entries in " + length
              + " bytes: the page is damaged");
        }
        return Bucket.overflow(page.version(), new Ref(start, length, crc), entries);
      default:
        throw new StoreFormatException(address, "unknown bucket kind " + kind + ": the page is damaged");
    }
  }

  /**
   * Decodes {@code count} entries from {@code content}, which must hold exactly them.
   *
   * @param where the page or range being decoded, for the message
   */
  static List<Slot> decodeSlots(GlobalAddress where, byte[] content, int count) {
    return readSlots(where, ByteBuffer.wrap(content).asReadOnlyBuffer(), count);
  }

  private static List<Slot> readSlots(GlobalAddress where, ByteBuffer in, int count) {
    // Each entry takes at least one byte, so a count beyond the bytes left is damage, found before any allocation.
    if (count > in.remaining()) {
      throw new StoreFormatException(where, "claims " + count + " entries in " + in.remaining() + " bytes: the page "
          + "is damaged");
    }
    List<Slot> slots = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      slots.add(Slot.readFrom(in, where, i));
    }
    while (in.hasRemaining()) {
      if (in.get() != 0) {
        throw new StoreFormatException(where, "holds bytes after its " + count + " entries: the page is damaged");
      }
    }
    return slots;
  }

  /**
   * The entries of a version 2 leaf: each record's length must be exactly what its entry parses to, and its
   * fingerprint that of the entry's key, or the page is damaged.
   */
  private static List<Slot> readDirectory(GlobalAddress where, byte[] bytes, int count) {
    long entriesAt = LEAF_HEADER + (long) RECORD * count;
    if (entriesAt > bytes.length) {
      throw new StoreFormatException(where, "claims " + count + " entries, whose directory alone needs " + entriesAt
          + " of its " + bytes.length + " bytes: the page is damaged");
    }
    ByteBuffer directory = ByteBuffer.wrap(bytes, LEAF_HEADER, RECORD * count).asReadOnlyBuffer();
    List<Slot> slots = new ArrayList<>(count);
    int at = (int) entriesAt;
    for (int i = 0; i < count; i++) {
      int record = directory.getInt();
      int length = record & LENGTH_MASK;
      if (length > bytes.length - at) {
        throw new StoreFormatException(where, "entry " + i + " of " + length + " bytes at offset " + at
            + " runs past the page's " + bytes.length + " bytes (its directory record is damaged)");
      }
      ByteBuffer entry = ByteBuffer.wrap(bytes, at, length).slice().asReadOnlyBuffer();
      Slot slot = Slot.readFrom(entry, where, i);
      if (entry.hasRemaining()) {
        throw new StoreFormatException(where, "entry " + i + " takes " + entry.position() + " bytes where its "
            + "directory record says " + length + ": the page is damaged");
      }
      int fingerprint = record >>> LENGTH_BITS;
      if (fingerprint != fingerprint(slot.hash())) {
        throw new StoreFormatException(where, "entry " + i + " has the fingerprint 0x" + Integer.toHexString(fingerprint)
            + " in the directory where its key's hash gives 0x" + Integer.toHexString(fingerprint(slot.hash()))
            + ": the page is damaged");
      }
      slots.add(slot);
      at += length;
    }
    for (int i = at; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        throw new StoreFormatException(where, "holds bytes after its " + count + " entries: the page is damaged");
      }
    }
    return slots;
  }

  /** The bytes a leaf of {@code slots} takes: header, a directory record per entry, the entries. */
  static long leafBytes(List<Slot> slots) {
    long bytes = LEAF_HEADER;
    for (Slot slot : slots) {
      bytes += RECORD + slot.encodedBytes();
    }
    return bytes;
  }

  /** Whether a leaf of {@code slots} fits in a page of {@code pageBytes}. */
  static boolean fits(List<Slot> slots, int pageBytes) {
    return slots.size() <= MAX_LEAF_ENTRIES && leafBytes(slots) <= pageBytes;
  }

  static byte[] encodeLeaf(List<Slot> slots) {
    ByteBuffer out = ByteBuffer.allocate((int) leafBytes(slots));
    out.put((byte) FORMAT).put((byte) KIND_LEAF).putShort((short) slots.size());
    for (Slot slot : slots) {
      out.putInt(record(fingerprint(slot.hash()), slot.encodedBytes()));
    }
    slots.forEach(slot -> slot.writeTo(out));
    return out.array();
  }

  /** A directory record. */
  static int record(int fingerprint, int entryBytes) {
    if (entryBytes > LENGTH_MASK) {
      throw new IllegalStateException("an entry of " + entryBytes + " bytes cannot be in a leaf");
    }
    return fingerprint << LENGTH_BITS | entryBytes;
  }

  static byte[] encodeSplit() {
    return new byte[] {FORMAT, KIND_SPLIT};
  }

  static byte[] encodeOverflow(Ref entries, int count) {
    ByteBuffer out = ByteBuffer.allocate(OVERFLOW_BYTES);
    out.put((byte) FORMAT).put((byte) KIND_OVERFLOW).putShort((short) 0).putInt(count);
    out.putLong(entries.start().hi()).putLong(entries.start().lo()).putInt(entries.length()).putInt(entries.crc());
    return out.array();
  }

  /** The entries of an overflowed leaf, as its range holds them: their bucket forms, one after the other. */
  static byte[] encodeSlots(List<Slot> slots) {
    long bytes = 0;
    for (Slot slot : slots) {
      bytes += slot.encodedBytes();
    }
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalStateException("an overflowed bucket of " + slots.size() + " entries would take " + bytes
          + " bytes, more than one range can hold");
    }
    ByteBuffer out = ByteBuffer.allocate((int) bytes);
    slots.forEach(slot -> slot.writeTo(out));
    return out.array();
  }
}
