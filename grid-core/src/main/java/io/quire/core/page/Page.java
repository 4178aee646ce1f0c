package io.quire.core.page;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One page of the shared space: its bytes plus the attributes the patent gives a page (version tag, dirty bit,
 * volatile bit, checksum). Immutable: a write makes a new {@code Page}, so a reader that holds one never sees it
 * change and the RAM tier can hand the same instance to every reader without copying.
 *
 * <p>The bytes are the page's significant prefix: a page is logically {@code pageSize} bytes long and every byte past
 * {@link #length()} is zero. The checksum is CRC32C over the address, the version, the volatile bit and the bytes;
 * the dirty bit is left out because it changes when a page is written back, while its content does not.
 */
public final class Page {
  private final GlobalAddress address;
  private final long version;
  private final boolean dirty;
  private final boolean isVolatile;
  private final int checksum;
  private final byte[] data;

  private Page(GlobalAddress address, long version, boolean dirty, boolean isVolatile, int checksum, byte[] data) {
    this.address = address;
    this.version = version;
    this.dirty = dirty;
    this.isVolatile = isVolatile;
    this.checksum = checksum;
    this.data = data;
  }

  /** A page holding a copy of {@code data}, with its checksum computed. */
  public static Page of(GlobalAddress address, long version, boolean dirty, boolean isVolatile, byte[] data) {
    return adopt(address, version, dirty, isVolatile, data.clone());
  }

  /**
   * A page that takes ownership of {@code data} without copying it: the caller must never modify the array again.
   * For code that has just built the array (a decoder, a write path).
   */
  public static Page adopt(GlobalAddress address, long version, boolean dirty, boolean isVolatile, byte[] data) {
    requireNonNull(address, "address");
    requireNonNull(data, "data");
    if (version < 0) {
      throw new IllegalArgumentException("page version must not be negative: " + version);
    }
    return new Page(address, version, dirty, isVolatile, checksumOf(address, version, isVolatile, data), data);
  }

  /**
   * Rebuilds a page read from storage, verifying its stored checksum.
   *
   * @throws PageChecksumMismatch if the bytes or attributes do not match {@code storedChecksum}
   */
  public static Page restore(GlobalAddress address, long version, boolean dirty, boolean isVolatile,
      int storedChecksum, byte[] data) {
    Page page = adopt(address, version, dirty, isVolatile, data);
    if (page.checksum != storedChecksum) {
      throw new PageChecksumMismatch(address, storedChecksum, page.checksum);
    }
    return page;
  }

  /** CRC32C over everything that makes up the page's content. */
  public static int checksumOf(GlobalAddress address, long version, boolean isVolatile, byte[] data) {
    CRC32C crc = new CRC32C();
    ByteBuffer header = ByteBuffer.allocate(2 * Long.BYTES + Long.BYTES + 1);
    header.putLong(address.hi()).putLong(address.lo()).putLong(version).put((byte) (isVolatile ? 1 : 0));
    crc.update(header.flip());
    crc.update(data);
    return (int) crc.getValue();
  }

  /** The same content with the dirty bit set as given; shares the bytes. */
  public Page withDirty(boolean newDirty) {
    return newDirty == dirty ? this : new Page(address, version, newDirty, isVolatile, checksum, data);
  }

  /** The address of the page's first byte. */
  public GlobalAddress address() {
    return address;
  }

  /** Monotonic version tag: every write of the page increments it. */
  public long version() {
    return version;
  }

  /** True when this RAM copy is newer than the node's disk copy. */
  public boolean isDirty() {
    return dirty;
  }

  /** True when the page has no persistent backing promise: it reaches disk only under memory pressure. */
  public boolean isVolatile() {
    return isVolatile;
  }

  /** CRC32C of the page's content; see the class comment. */
  public int checksum() {
    return checksum;
  }

  /** The number of significant bytes; the rest of the page reads as zeros. */
  public int length() {
    return data.length;
  }

  /** The byte at {@code offset}, zero past {@link #length()}. */
  public byte byteAt(int offset) {
    if (offset < 0) {
      throw new IndexOutOfBoundsException("negative page offset " + offset);
    }
    return offset < data.length ? data[offset] : 0;
  }

  /** A fresh copy of the significant bytes. */
  public byte[] toByteArray() {
    return data.clone();
  }

  /**
   * The page's own array, not a copy, for read-only decoders on hot paths (the directory walks one page per level on
   * every write). Writing to it would change an immutable page under its readers and break its checksum: never do.
   */
  public byte[] sharedBytes() {
    return data;
  }

  /** A copy of the page as exactly {@code pageSize} bytes, zero-padded. */
  public byte[] toByteArray(int pageSize) {
    return Arrays.copyOf(data, pageSize);
  }

  /** A read-only view of the significant bytes, without copying them. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** True when the content (not the dirty bit) equals {@code other}'s. */
  public boolean sameContentAs(Page other) {
    return address.equals(other.address) && version == other.version && isVolatile == other.isVolatile
        && Arrays.equals(data, other.data);
  }

  @Override
  public String toString() {
    return "Page{" + address + " v" + version + (dirty ? " dirty" : "") + (isVolatile ? " volatile" : "")
        + " " + data.length + "B crc=" + Integer.toHexString(checksum) + "}";
  }
}
