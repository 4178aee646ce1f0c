package io.quire.jcache;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.cache.CacheException;

/**
 * The byte format of one bucket page of a {@link PageCacheCatalog} ({@code docs/design/jcache-provider.md},
 * "The cache catalog of a cluster"). A page never written is all zeros and holds no entry. Otherwise:
 *
 * <pre>
 * magic "QCAT" (4) | format 1 (1) | bucket index (2) | entry count (2) | entries | zeros to the end of the page
 * entry: name (u16 length + UTF-8) | range start hi (8) | lo (8) | durability (1: 0 volatile, 1 persistent)
 *        | key type (u16 length + UTF-8) | value type (u16 length + UTF-8)
 * </pre>
 *
 * Decoding is strict: a page in any other shape (damaged, foreign, another bucket's, a newer format, a name that
 * does not hash to this bucket, a name twice, bytes after the last entry) is refused with a {@link CacheException}
 * naming the page's address, and nothing is changed.
 */
final class CatalogPage {
  static final byte[] MAGIC = {'Q', 'C', 'A', 'T'};
  static final byte FORMAT = 1;
  static final int HEADER_BYTES = 4 + 1 + 2 + 2;

  private CatalogPage() {}

  /** The entries of the bucket page {@code bytes} at {@code address}, bucket {@code bucket} of {@code buckets}. */
  static List<CatalogEntry> decode(GlobalAddress address, int bucket, int buckets, byte[] bytes) {
    if (isBlank(bytes)) {
      return List.of();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw bad(address, "it does not start with the catalog's magic QCAT, so it is not a catalog page");
      }
      byte format = in.get();
      if (format != FORMAT) {
        throw bad(address, "format " + format + " is not one this version reads (" + FORMAT + ")");
      }
      int storedBucket = Short.toUnsignedInt(in.getShort());
      if (storedBucket != bucket) {
        throw bad(address, "it says it is bucket " + storedBucket + " but lies where bucket " + bucket + " lies");
      }
      int count = Short.toUnsignedInt(in.getShort());
      List<CatalogEntry> entries = new ArrayList<>(count);
      Set<String> names = new HashSet<>();
      for (int i = 0; i < count; i++) {
        String name = text(in, address, "name of entry " + i);
        GlobalAddress start = new GlobalAddress(in.getLong(), in.getLong());
        byte durability = in.get();
        if (durability != 0 && durability != 1) {
          throw bad(address, "entry '" + name + "' has durability " + durability + " (0 or 1 expected)");
        }
        String keyType = text(in, address, "key type of '" + name + "'");
        String valueType = text(in, address, "value type of '" + name + "'");
        if (PageCacheCatalog.bucketOf(name, buckets) != bucket) {
          throw bad(address, "entry '" + name + "' belongs in bucket " + PageCacheCatalog.bucketOf(name, buckets));
        }
        if (!names.add(name)) {
          throw bad(address, "cache '" + name + "' is recorded twice");
        }
        entries.add(new CatalogEntry(name, start, keyType, valueType,
            durability == 1 ? Durability.PERSISTENT : Durability.VOLATILE));
      }
      while (in.hasRemaining()) {
        if (in.get() != 0) {
          throw bad(address, "non-zero bytes follow the last of its " + count + " entries, at offset "
              + (in.position() - 1));
        }
      }
      return entries;
    } catch (BufferUnderflowException e) {
      throw bad(address, "its entries run past the end of the page");
    }
  }

  /**
   * The page holding {@code entries} of bucket {@code bucket}, or null when they do not fit in {@code pageBytes}.
   */
  static byte[] encode(int bucket, List<CatalogEntry> entries, int pageBytes) {
    int size = HEADER_BYTES;
    for (CatalogEntry e : entries) {
      size += 2 + utf8(e.name()).length + 16 + 1 + 2 + utf8(e.keyType()).length + 2 + utf8(e.valueType()).length;
    }
    if (size > pageBytes) {
      return null;
    }
    ByteBuffer out = ByteBuffer.allocate(pageBytes);
    out.put(MAGIC).put(FORMAT).putShort((short) bucket).putShort((short) entries.size());
    for (CatalogEntry e : entries) {
      putText(out, e.name());
      out.putLong(e.rangeStart().hi()).putLong(e.rangeStart().lo());
      out.put((byte) (e.durability() == Durability.PERSISTENT ? 1 : 0));
      putText(out, e.keyType());
      putText(out, e.valueType());
    }
    return out.array();
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void putText(ByteBuffer out, String text) {
    byte[] bytes = utf8(text);
    out.putShort((short) bytes.length).put(bytes);
  }

  private static String text(ByteBuffer in, GlobalAddress address, String what) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length == 0 || length > in.remaining()) {
      throw bad(address, "the " + what + " has length " + length + " (" + in.remaining() + " bytes left)");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw bad(address, "the " + what + " is not UTF-8");
    }
  }

  private static CacheException bad(GlobalAddress address, String problem) {
    return new CacheException("cache catalog page " + address + " is damaged: " + problem);
  }
}
