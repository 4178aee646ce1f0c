package io.quire.jcache;

import io.quire.core.address.GlobalAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * The first page of every persistent cache's range, by cache name, in {@code caches.properties} of the node's data
 * directory: the one piece of state a node needs to find its persistent caches after a restart. Volatile caches are
 * not recorded (they do not outlive their manager).
 *
 * <p>Each change rewrites the file through a temporary file, fsync and an atomic rename, so a crash leaves the old or
 * the new catalog, never a torn one. Lock discipline: all methods synchronize on this.
 */
final class CacheCatalog {
  static final String FILE_NAME = "caches.properties";

  private final Path file;
  private final Properties entries = new Properties();

  private CacheCatalog(Path file) {
    this.file = file;
  }

  /** Opens (or starts) the catalog of the data directory {@code directory}. */
  static CacheCatalog open(Path directory) {
    CacheCatalog catalog = new CacheCatalog(directory.resolve(FILE_NAME));
    if (Files.exists(catalog.file)) {
      try (InputStream in = Files.newInputStream(catalog.file)) {
        catalog.entries.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new CacheException("cannot read the cache catalog " + catalog.file + ": " + e, e);
      }
      for (String name : catalog.entries.stringPropertyNames()) {
        try {
          parse(catalog.entries.getProperty(name));
        } catch (RuntimeException e) {
          throw new CacheException("cache catalog " + catalog.file + ": cache '" + name + "' has a bad address '"
              + catalog.entries.getProperty(name) + "'", e);
        }
      }
    }
    return catalog;
  }

  /** The first page of cache {@code name}'s range, if the cache is recorded. */
  synchronized Optional<GlobalAddress> find(String name) {
    String text = entries.getProperty(name);
    return text == null ? Optional.empty() : Optional.of(parse(text));
  }

  synchronized void record(String name, GlobalAddress rangeStart) {
    entries.setProperty(name, format(rangeStart));
    save();
  }

  synchronized void forget(String name) {
    if (entries.remove(name) != null) {
      save();
    }
  }

  // "<hi>_<lo>" in unsigned hex: GlobalAddress.toString's form, read back here.
  static String format(GlobalAddress address) {
    return Long.toHexString(address.hi()) + "_" + Long.toHexString(address.lo());
  }

  static GlobalAddress parse(String text) {
    int sep = text.indexOf('_');
    if (sep < 0) {
      throw new IllegalArgumentException("expected <hi>_<lo> in hex, got '" + text + "'");
    }
    return new GlobalAddress(Long.parseUnsignedLong(text.substring(0, sep), 16),
        Long.parseUnsignedLong(text.substring(sep + 1), 16));
  }

  private void save() {
    Path temp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        entries.store(out, "Quire persistent caches: name = first page of the cache's range");
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cache catalog " + file, e);
    }
  }
}
