package io.quire.jcache;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;
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
import java.util.Set;
import javax.cache.CacheException;

/**
 * The catalog of a single node: the first page of every persistent cache's range, by cache name, in {@code
 * caches.properties} of the node's data directory: the one piece of state a node needs to find its persistent caches
 * after a restart. Volatile caches are not recorded (they do not outlive their manager). A line is {@code name =
 * <hi>_<lo>} (the format before types were recorded, read as {@code java.lang.Object} keys and values) or {@code name
 * = <hi>_<lo> <keyType> <valueType>}.
 *
 * <p>Each change rewrites the file through a temporary file, fsync and an atomic rename, so a crash leaves the old or
 * the new catalog, never a torn one. Lock discipline: all methods synchronize on this.
 */
final class FileCacheCatalog implements CacheCatalog {
  static final String FILE_NAME = "caches.properties";

  private final Path file;
  private final Properties entries = new Properties();

  private FileCacheCatalog(Path file) {
    this.file = file;
  }

  /** Opens (or starts) the catalog of the data directory {@code directory}. */
  static FileCacheCatalog open(Path directory) {
    FileCacheCatalog catalog = new FileCacheCatalog(directory.resolve(FILE_NAME));
    if (Files.exists(catalog.file)) {
      try (InputStream in = Files.newInputStream(catalog.file)) {
        catalog.entries.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new CacheException("cannot read the cache catalog " + catalog.file + ": " + e, e);
      }
      for (String name : catalog.entries.stringPropertyNames()) {
        try {
          catalog.entry(name);
        } catch (RuntimeException e) {
          throw new CacheException("cache catalog " + catalog.file + ": cache '" + name + "' has a bad address '"
              + catalog.entries.getProperty(name) + "'", e);
        }
      }
    }
    return catalog;
  }

  @Override
  public synchronized Optional<CatalogEntry> find(String name) {
    return entries.containsKey(name) ? Optional.of(entry(name)) : Optional.empty();
  }

  @Override
  public synchronized CatalogEntry recordIfAbsent(CatalogEntry entry) {
    if (entries.containsKey(entry.name())) {
      return entry(entry.name());
    }
    entries.setProperty(entry.name(), format(entry.rangeStart()) + " " + entry.keyType() + " " + entry.valueType());
    save();
    return entry;
  }

  @Override
  public synchronized void forget(String name, GlobalAddress rangeStart) {
    if (entries.containsKey(name) && entry(name).rangeStart().equals(rangeStart)) {
      entries.remove(name);
      save();
    }
  }

  @Override
  public synchronized Set<String> names() {
    return Set.copyOf(entries.stringPropertyNames());
  }

  // Only persistent caches are recorded here.
  private CatalogEntry entry(String name) {
    String[] fields = entries.getProperty(name).strip().split("\\s+");
    if (fields.length != 1 && fields.length != 3) {
      throw new IllegalArgumentException("expected <hi>_<lo> [<keyType> <valueType>], got '"
          + entries.getProperty(name) + "'");
    }
    String object = Object.class.getName();
    return new CatalogEntry(name, parse(fields[0]), fields.length == 3 ? fields[1] : object,
        fields.length == 3 ? fields[2] : object, Durability.PERSISTENT);
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
