package io.quire.store.disk;

import io.quire.core.address.PageSize;
import io.quire.spi.store.CorruptStoreException;
import io.quire.spi.store.StoreException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code STORE} file: what a store directory holds (format version) and for which page size. Plain text so an
 * operator can read it; written once, atomically, when the directory becomes a store.
 */
final class StoreMeta {

  /** The file name inside the store directory. */
  static final String FILE_NAME = "STORE";

  /** The directory layout and file formats this code reads and writes; bumped when they change incompatibly. */
  static final int FORMAT_VERSION = 1;

  private static final String FORMAT_KEY = "quire.store.format";
  private static final String PAGE_SIZE_KEY = "quire.store.pageSize";

  private StoreMeta() {}

  /** Writes the meta file of a new store. */
  static void create(Path directory, PageSize pageSize) throws IOException {
    String text = "# Quire disk page store; do not edit\n"
        + FORMAT_KEY + "=" + FORMAT_VERSION + "\n"
        + PAGE_SIZE_KEY + "=" + pageSize.bytes() + "\n";
    DiskFiles.writeAtomically(directory.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Checks that the store in {@code directory} was written by this format and with {@code pageSize}.
   *
   * @throws StoreException naming the file and both values when they differ
   * @throws CorruptStoreException when the file cannot be parsed
   */
  static void verify(Path directory, PageSize pageSize) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    Properties meta = new Properties();
    meta.load(new StringReader(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
    int format = intValue(meta, FORMAT_KEY, file);
    if (format != FORMAT_VERSION) {
      throw new StoreException("store " + file + " has format version " + format + ", but this Quire reads only "
          + "version " + FORMAT_VERSION + "; open it with the Quire release that wrote it");
    }
    int storedPageSize = intValue(meta, PAGE_SIZE_KEY, file);
    if (storedPageSize != pageSize.bytes()) {
      throw new StoreException("store " + file + " was made with a page size of " + storedPageSize + " bytes, but "
          + "this grid uses " + pageSize.bytes() + " bytes; a grid's page size cannot change, so start the node "
          + "with the page size of its data or with an empty data directory");
    }
  }

  private static int intValue(Properties meta, String key, Path file) {
    String value = meta.getProperty(key);
    if (value == null) {
      throw new CorruptStoreException(file, "it has no " + key + " entry", null);
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new CorruptStoreException(file, "its " + key + " is not a number: '" + value + "'", e);
    }
  }
}
