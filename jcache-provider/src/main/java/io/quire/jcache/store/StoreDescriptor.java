package io.quire.jcache.store;

import static java.util.Objects.requireNonNull;

import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The first page of a store's range: what {@link PagedEntryStore#open} needs to know and check before it trusts the
 * rest (see {@code docs/design/cache-pages.md}, "Descriptor page"). Written once by create, and once more when a
 * destroy starts.
 *
 * @param depthLimit the deepest level of the bucket trie; the range holds {@code 2^(depthLimit+1)} pages
 * @param durability the durability of the range and of every out-of-line range of the store
 * @param pageSize the grid's page size when the store was created
 * @param inlineLimit the largest entry, in bytes of its bucket form, that a bucket holds in line
 * @param destroying true once a destroy has started: the store must not be opened again
 */
record StoreDescriptor(int depthLimit, Durability durability, PageSize pageSize, int inlineLimit,
    boolean destroying) {

  /** "QCES": Quire Cache Entry Store. */
  static final int MAGIC = 0x51434553;
  /** The format version this code writes and reads. */
  static final int FORMAT = 1;
  /** The deepest trie any store may have: 2^41 pages still fit a node's region at every page size. */
  static final int MAX_DEPTH_LIMIT = 40;
  /**
   * Depth limit for pages of 4 KiB and less: 2^28 leaves of at least 3 entries each; see the design page. Larger pages
   * hold proportionally more per leaf and need one level less per doubling.
   */
  static final int DEFAULT_DEPTH_LIMIT = 28;
  /** Enough for a bucket entry whose key and value are both out of line (49 bytes), with room to spare. */
  static final int MIN_INLINE_LIMIT = 64;

  private static final int LENGTH = 24;
  private static final int CHECKED_LENGTH = 20;

  StoreDescriptor {
    requireNonNull(durability, "durability");
    requireNonNull(pageSize, "pageSize");
    if (depthLimit < 1 || depthLimit > MAX_DEPTH_LIMIT) {
      throw new IllegalArgumentException("depth limit " + depthLimit + " is outside 1.." + MAX_DEPTH_LIMIT);
    }
    if (inlineLimit < MIN_INLINE_LIMIT || inlineLimit > maxInlineLimit(pageSize)) {
      throw new IllegalArgumentException("inline limit " + inlineLimit + " is outside " + MIN_INLINE_LIMIT + ".."
          + maxInlineLimit(pageSize) + " for pages of " + pageSize);
    }
  }

  /**
   * The largest in-line limit for {@code pageSize}: three entries of that size, with the leaf's header and their
   * directory records, still fill at most one page, so every leaf holds at least three entries (the depth limit's
   * capacity rests on that). 1,360 bytes at 4 KiB: a 1 KiB value with its key stays in line, one page read per get and
   * no range to allocate per put. Stores created with a quarter page (before this limit) keep theirs.
   */
  static int maxInlineLimit(PageSize pageSize) {
    return (pageSize.bytes() - BucketPage.LEAF_HEADER) / 3 - BucketPage.RECORD;
  }

  /** The descriptor of a new store: the largest in-line limit, the default depth for the page size. */
  static StoreDescriptor forNew(PageSize pageSize, Durability durability) {
    int depth = DEFAULT_DEPTH_LIMIT - Math.max(0, pageSize.shift() - 12);
    return new StoreDescriptor(depth, durability, pageSize, maxInlineLimit(pageSize), false);
  }

  /** How many pages the store's range holds: the descriptor and the trie's {@code 2^(depthLimit+1) - 1} buckets. */
  long rangePages() {
    return 1L << (depthLimit + 1);
  }

  StoreDescriptor markedDestroying() {
    return new StoreDescriptor(depthLimit, durability, pageSize, inlineLimit, true);
  }

  byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH);
    out.putInt(MAGIC).put((byte) FORMAT).put((byte) KeyHash.FUNCTION_ID).put((byte) depthLimit)
        .put((byte) (durability == Durability.PERSISTENT ? 1 : 0)).putInt(pageSize.bytes()).putInt(inlineLimit)
        .put((byte) (destroying ? 1 : 0)).put(new byte[3]);
    out.putInt(crcOf(out.array()));
    return out.array();
  }

  /**
   * Reads and checks the descriptor page of the store at {@code address}.
   *
   * @throws StoreFormatException if the page is not a store descriptor this code can use with {@code pageSize}
   */
  static StoreDescriptor decode(GlobalAddress address, Page page, PageSize pageSize) {
    if (page.length() < LENGTH) {
      throw new StoreFormatException(address, notAStore(page.length() == 0 ? "the page was never written"
          : "the page holds only " + page.length() + " bytes"));
    }
    byte[] bytes = page.toByteArray();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt() != MAGIC) {
      throw new StoreFormatException(address, notAStore("it does not start with the store magic \"QCES\""));
    }
    int format = in.get() & 0xFF;
    if (format != FORMAT) {
      throw new StoreFormatException(address, "the store has format version " + format + " but this Quire reads "
          + "version " + FORMAT + "; open it with the Quire that created it");
    }
    int storedCrc = ByteBuffer.wrap(bytes, CHECKED_LENGTH, Integer.BYTES).getInt();
    if (storedCrc != crcOf(bytes)) {
      throw new StoreFormatException(address, "the store descriptor fails its checksum: the page is damaged");
    }
    int hash = in.get() & 0xFF;
    if (hash != KeyHash.FUNCTION_ID) {
      throw new StoreFormatException(address, "unknown key hash function " + hash);
    }
    int depth = in.get() & 0xFF;
    int durability = in.get() & 0xFF;
    int storedPageSize = in.getInt();
    int inline = in.getInt();
    int state = in.get() & 0xFF;
    if (storedPageSize != pageSize.bytes()) {
      throw new StoreFormatException(address, "the store was created with pages of " + storedPageSize
          + " bytes but the grid's pages are " + pageSize);
    }
    if (durability > 1 || state > 1) {
      throw new StoreFormatException(address, "unknown durability " + durability + " or state " + state);
    }
    try {
      return new StoreDescriptor(depth, durability == 1 ? Durability.PERSISTENT : Durability.VOLATILE, pageSize,
          inline, state == 1);
    } catch (IllegalArgumentException e) {
      throw new StoreFormatException(address, "the store descriptor is out of range: " + e.getMessage(), e);
    }
  }

  private static String notAStore(String why) {
    return "this range is not an entry store (" + why + "); pass the rangeStart() of a store that create() made";
  }

  private static int crcOf(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, CHECKED_LENGTH);
    return (int) crc.getValue();
  }
}
