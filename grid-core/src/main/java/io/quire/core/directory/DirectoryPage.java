package io.quire.core.directory;

import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A validated, read-only view over the bytes of one directory page, plus the encoders that build new page images.
 * The format is normative and described in {@code docs/design/directory.md}.
 *
 * <p>The view never copies or materialises the entries: searches compare the big-endian start addresses in place, so
 * a lookup costs one small object per page visited. Construction validates the header, so every later accessor can
 * index the bytes without further checks and a damaged page surfaces as {@link DirectoryCorruptedException}, never as
 * an {@link ArrayIndexOutOfBoundsException}.
 */
final class DirectoryPage {
  /** Format byte of version 1 of the page format; anything else is rejected. */
  static final byte FORMAT_V1 = (byte) 0xD1;
  static final byte KIND_LEAF = 0;
  static final byte KIND_INNER = 1;
  static final int HEADER_BYTES = 8;
  static final int ENTRY_BYTES = 40;
  /** Levels above this are impossible: even 2-way fanout over 2^116 pages needs fewer. */
  static final int MAX_LEVEL = 120;

  private static final int OFF_FORMAT = 0;
  private static final int OFF_KIND = 1;
  private static final int OFF_COUNT = 2;
  private static final int OFF_LEVEL = 4;
  private static final int E_START = 0;
  private static final int E_NODE = 16;
  private static final int E_PAGES = 24;
  private static final int E_DURABILITY = 32;
  private static final int E_CHILD = 24;
  private static final byte DURABILITY_VOLATILE = 0;
  private static final byte DURABILITY_PERSISTENT = 1;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final GlobalAddress address;
  private final byte[] bytes;
  private final PageSize pageSize;
  private final boolean leaf;
  private final int count;
  private final int level;

  private DirectoryPage(GlobalAddress address, byte[] bytes, PageSize pageSize, boolean leaf, int count, int level) {
    this.address = address;
    this.bytes = bytes;
    this.pageSize = pageSize;
    this.leaf = leaf;
    this.count = count;
    this.level = level;
  }

  /** How many entries a page of {@code pageSize} holds. */
  static int capacity(PageSize pageSize) {
    return (pageSize.bytes() - HEADER_BYTES) / ENTRY_BYTES;
  }

  /**
   * Validates the header of {@code bytes} read from {@code address} and returns a view over them; the bytes are not
   * copied, so the caller must not modify them afterwards.
   *
   * @throws DirectoryCorruptedException if the bytes are not a directory page of this format and page size
   */
  static DirectoryPage decode(GlobalAddress address, byte[] bytes, PageSize pageSize) {
    if (bytes == null) {
      throw new DirectoryCorruptedException(address, "the page is missing although the tree links to it");
    }
    if (bytes.length < HEADER_BYTES) {
      throw new DirectoryCorruptedException(address, "truncated: " + bytes.length + " bytes, shorter than the "
          + HEADER_BYTES + "-byte header");
    }
    if (bytes.length > pageSize.bytes()) {
      throw new DirectoryCorruptedException(address, bytes.length + " bytes, longer than a page of " + pageSize);
    }
    if (bytes[OFF_FORMAT] != FORMAT_V1) {
      throw new DirectoryCorruptedException(address, String.format(java.util.Locale.ROOT, "unknown format byte 0x%02x (expected 0x%02x)",
          bytes[OFF_FORMAT] & 0xFF, FORMAT_V1 & 0xFF));
    }
    byte kind = bytes[OFF_KIND];
    if (kind != KIND_LEAF && kind != KIND_INNER) {
      throw new DirectoryCorruptedException(address, "unknown page kind " + kind);
    }
    int count = ((bytes[OFF_COUNT] & 0xFF) << 8) | (bytes[OFF_COUNT + 1] & 0xFF);
    int capacity = capacity(pageSize);
    if (count > capacity) {
      throw new DirectoryCorruptedException(address, "entry count " + count + " exceeds the capacity " + capacity
          + " of a page of " + pageSize);
    }
    int level = bytes[OFF_LEVEL] & 0xFF;
    boolean leaf = kind == KIND_LEAF;
    if (leaf ? level != 0 : level < 1 || level > MAX_LEVEL) {
      throw new DirectoryCorruptedException(address, "impossible level " + level + " for a "
          + (leaf ? "leaf" : "inner") + " page");
    }
    if (!leaf && count == 0) {
      throw new DirectoryCorruptedException(address, "an inner page without entries");
    }
    int needed = HEADER_BYTES + count * ENTRY_BYTES;
    if (bytes.length < needed) {
      throw new DirectoryCorruptedException(address, "truncated: " + count + " entries need " + needed
          + " bytes but the page has " + bytes.length);
    }
    return new DirectoryPage(address, bytes, pageSize, leaf, count, level);
  }

  GlobalAddress address() {
    return address;
  }

  boolean isLeaf() {
    return leaf;
  }

  int count() {
    return count;
  }

  /** 0 for a leaf; an inner page's children are at {@code level - 1}. */
  int level() {
    return level;
  }

  boolean isFull() {
    return count >= capacity(pageSize);
  }

  // ---- searches over the entry bytes, without decoding entries ----

  /**
   * The largest index whose start is {@code <= (hi, lo)}, or -1 when every start is above it. On an inner page the
   * key of entry 0 is never consulted (see {@link #routeIndex}), so the answer there is at least 0.
   */
  int floorIndex(long hi, long lo) {
    return search(hi, lo, true);
  }

  /** The largest index whose start is {@code < (hi, lo)}, or -1; at least 0 on an inner page, like floorIndex. */
  int lowerIndex(long hi, long lo) {
    return search(hi, lo, false);
  }

  private int search(long hi, long lo, boolean inclusive) {
    int low = leaf ? 0 : 1;
    int high = count - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = compareStart(mid, hi, lo);
      if (cmp < 0 || (inclusive && cmp == 0)) {
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return high;
  }

  /** Sign of {@code start(index) - (hi, lo)}, unsigned. */
  int compareStart(int index, long hi, long lo) {
    int base = entryOffset(index);
    int byHi = Long.compareUnsigned(longAt(base + E_START), hi);
    return byHi != 0 ? byHi : Long.compareUnsigned(longAt(base + E_START + 8), lo);
  }

  /**
   * The child an inner page routes {@code (hi, lo)} to: the last entry whose key is {@code <= (hi, lo)}, where entry
   * 0 stands for everything below entry 1. Entry 0's key is informational only and may go stale (a range below it
   * can be inserted later, a subtree's smallest range can be removed) without any parent being rewritten; keys 1..n
   * stay sorted because each is the first start of a page split off to the right of its left neighbour.
   */
  int routeIndex(long hi, long lo) {
    return floorIndex(hi, lo);
  }

  /** True when the leaf entry at {@code index} (whose start is {@code <= (hi, lo)}) covers that address. */
  boolean leafCovers(int index, long hi, long lo) {
    int base = entryOffset(index);
    long startHi = longAt(base + E_START);
    long startLo = longAt(base + E_START + 8);
    // offset = address - start, which is non-negative here; compare it with pages * pageSize, both 128-bit.
    long offLo = lo - startLo;
    long offHi = hi - startHi - (Long.compareUnsigned(lo, startLo) < 0 ? 1 : 0);
    long pages = longAt(base + E_PAGES);
    int shift = pageSize.shift();
    long lenHi = pages >>> (64 - shift);
    long lenLo = pages << shift;
    int byHi = Long.compareUnsigned(offHi, lenHi);
    return byHi != 0 ? byHi < 0 : Long.compareUnsigned(offLo, lenLo) < 0;
  }

  GlobalAddress startAt(int index) {
    return GlobalAddress.readFrom(bytes, entryOffset(index) + E_START);
  }

  GlobalAddress childAt(int index) {
    GlobalAddress child = GlobalAddress.readFrom(bytes, entryOffset(index) + E_CHILD);
    if (child.equals(Directory.ROOT)) {
      throw new DirectoryCorruptedException(address, "entry " + index + " links to the root page as a child");
    }
    return child;
  }

  /** Decodes the leaf entry at {@code index}. */
  RangeEntry entryAt(int index) {
    int base = entryOffset(index);
    GlobalAddress start = startAt(index);
    long node = longAt(base + E_NODE);
    long pages = longAt(base + E_PAGES);
    Durability durability;
    switch (bytes[base + E_DURABILITY]) {
      case DURABILITY_VOLATILE -> durability = Durability.VOLATILE;
      case DURABILITY_PERSISTENT -> durability = Durability.PERSISTENT;
      default -> throw new DirectoryCorruptedException(address, "entry " + index + " has unknown durability code "
          + bytes[base + E_DURABILITY]);
    }
    AddressRange range;
    try {
      range = new AddressRange(start, pages, pageSize);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new DirectoryCorruptedException(address, "entry " + index + " is not a valid range: " + e.getMessage());
    }
    return new RangeEntry(range, new NodeId(node), durability);
  }

  // ---- building new page images ----

  /** The entry bytes of this page with {@code entry} inserted at {@code index}: (count + 1) entries, no header. */
  byte[] entriesWith(int index, byte[] entry) {
    byte[] out = new byte[(count + 1) * ENTRY_BYTES];
    int split = index * ENTRY_BYTES;
    System.arraycopy(bytes, HEADER_BYTES, out, 0, split);
    System.arraycopy(entry, 0, out, split, ENTRY_BYTES);
    System.arraycopy(bytes, HEADER_BYTES + split, out, split + ENTRY_BYTES, count * ENTRY_BYTES - split);
    return out;
  }

  /** The entry bytes of this page without the entry at {@code index}. */
  byte[] entriesWithout(int index) {
    byte[] out = new byte[(count - 1) * ENTRY_BYTES];
    int split = index * ENTRY_BYTES;
    System.arraycopy(bytes, HEADER_BYTES, out, 0, split);
    System.arraycopy(bytes, HEADER_BYTES + split + ENTRY_BYTES, out, split, (count - 1) * ENTRY_BYTES - split);
    return out;
  }

  /** A full page image equal to this one except that entry {@code index} has the key {@code start}. */
  byte[] withKey(int index, GlobalAddress start) {
    byte[] out = copyOfBytes();
    start.writeTo(out, entryOffset(index) + E_START);
    return out;
  }

  /** A fresh copy of the whole page image (to move a child's content into the root). */
  byte[] copyOfBytes() {
    return Arrays.copyOf(bytes, pageSize.bytes());
  }

  /** A full page image holding {@code n} entries of {@code entries} starting at entry {@code from}. */
  static byte[] page(PageSize pageSize, int level, byte[] entries, int from, int n) {
    if (n > capacity(pageSize)) {
      throw new IllegalStateException(n + " entries do not fit in a directory page of " + pageSize);
    }
    byte[] out = new byte[pageSize.bytes()];
    out[OFF_FORMAT] = FORMAT_V1;
    out[OFF_KIND] = level == 0 ? KIND_LEAF : KIND_INNER;
    out[OFF_COUNT] = (byte) (n >>> 8);
    out[OFF_COUNT + 1] = (byte) n;
    out[OFF_LEVEL] = (byte) level;
    System.arraycopy(entries, from * ENTRY_BYTES, out, HEADER_BYTES, n * ENTRY_BYTES);
    return out;
  }

  static byte[] emptyLeaf(PageSize pageSize) {
    return page(pageSize, 0, new byte[0], 0, 0);
  }

  /** The start address stored at entry {@code index} of an entry-bytes array (no header). */
  static GlobalAddress startIn(byte[] entries, int index) {
    return GlobalAddress.readFrom(entries, index * ENTRY_BYTES + E_START);
  }

  static byte[] leafEntry(RangeEntry entry) {
    byte[] out = new byte[ENTRY_BYTES];
    entry.range().start().writeTo(out, E_START);
    LONG_BE.set(out, E_NODE, entry.responsible().value());
    LONG_BE.set(out, E_PAGES, entry.range().pages());
    out[E_DURABILITY] = entry.durability() == Durability.PERSISTENT ? DURABILITY_PERSISTENT : DURABILITY_VOLATILE;
    return out;
  }

  /** An inner entry; the node field stays zero because a directory page's responsible node follows its address. */
  static byte[] innerEntry(GlobalAddress start, GlobalAddress child) {
    byte[] out = new byte[ENTRY_BYTES];
    start.writeTo(out, E_START);
    child.writeTo(out, E_CHILD);
    return out;
  }

  private static int entryOffset(int index) {
    return HEADER_BYTES + index * ENTRY_BYTES;
  }

  private long longAt(int offset) {
    return (long) LONG_BE.get(bytes, offset);
  }
}
