package io.quire.core;

import io.quire.core.address.PageSize;
import io.quire.spi.store.StoreException;
import io.quire.spi.store.StoreFileMissingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A node's data directory: {@value #IDENTITY_FILE} (its id, page size and format, written once when the directory is
 * created) and {@value #PAGES_DIRECTORY}/, the disk tier. The identity file is what lets a restart tell a fresh node from
 * one whose disk file went missing, which must never silently start empty.
 *
 * @param root the directory
 * @param nodeId the node's stable id
 * @param pageSize the page size the directory was created with
 */
public record NodeDataDirectory(Path root, NodeId nodeId, PageSize pageSize) {
  /** The identity file's name. */
  public static final String IDENTITY_FILE = "node.properties";
  /** The disk tier's directory name. */
  public static final String PAGES_DIRECTORY = "pages";
  private static final int FORMAT = 1;

  /** The directory of the backup copies this node holds for pages other nodes own (cluster mode). */
  public Path replicasDirectory() {
    return root.resolve("replicas");
  }

  /** The disk tier's directory. */
  public Path pagesDirectory() {
    return root.resolve(PAGES_DIRECTORY);
  }

  /**
   * Opens the directory, creating it (and the node's identity) when it does not exist or is empty.
   *
   * @throws GridConfigurationException if the identity file is malformed or was made with another page size
   * @throws StoreFileMissingException if the identity exists but the disk file is gone
   */
  public static NodeDataDirectory open(Path root, PageSize pageSize) {
    Path identity = root.resolve(IDENTITY_FILE);
    try {
      if (!Files.exists(identity)) {
        return create(root, identity, pageSize);
      }
      NodeDataDirectory existing = read(root, identity);
      if (!existing.pageSize().equals(pageSize)) {
        throw new GridConfigurationException(identity + ": this node's data was written with pages of "
            + existing.pageSize() + " but the configuration asks for " + pageSize + "; the page size is fixed "
            + "when a data directory is created, so configure " + existing.pageSize().bytes() + " or use a new "
            + "directory");
      }
      if (!Files.exists(existing.pagesDirectory())) {
        throw new StoreFileMissingException(existing.pagesDirectory(), identity + " says node " + existing.nodeId()
            + " keeps its pages there");
      }
      return existing;
    } catch (IOException e) {
      throw new StoreException("cannot use data directory " + root + ": " + e, e);
    }
  }

  private static NodeDataDirectory create(Path root, Path identity, PageSize pageSize) throws IOException {
    Files.createDirectories(root);
    try (Stream<Path> entries = Files.list(root)) {
      List<Path> present = entries.toList();
      if (!present.isEmpty()) {
        throw new GridConfigurationException(root + " is not empty and has no " + IDENTITY_FILE + ", so it is "
            + "not a Quire data directory (it holds " + present.get(0).getFileName() + "); give the node an "
            + "empty or new directory");
      }
    }
    // Never 0 or 1: a node's data addresses start with its id, and upper halves 0 and 1 are the system and cluster
    // regions.
    SecureRandom random = new SecureRandom();
    long value = 0;
    while (value == 0 || value == io.quire.core.address.AddressSpaceLayout.CLUSTER_REGION) {
      value = random.nextLong();
    }
    NodeId id = new NodeId(value);
    String text = "# Quire node identity: written once, never edit.\n"
        + "format=" + FORMAT + "\n"
        + "node.id=" + Long.toUnsignedString(id.value(), 16) + "\n"
        + "page.size=" + pageSize.bytes() + "\n";
    // The disk tier's directory exists before the identity does, so an identity without it always means it was lost.
    Files.createDirectories(root.resolve(PAGES_DIRECTORY));
    Path temporary = root.resolve(IDENTITY_FILE + ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, identity, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new NodeDataDirectory(root, id, pageSize);
  }

  private static NodeDataDirectory read(Path root, Path identity) throws IOException {
    List<String> lines = Files.readAllLines(identity, StandardCharsets.UTF_8);
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw malformed(identity, i + 1, "expected key=value but found '" + line + "'");
      }
      values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      lineOf.put(line.substring(0, eq).strip(), i + 1);
    }
    int format = (int) number(identity, values, lineOf, "format", 10);
    if (format != FORMAT) {
      throw malformed(identity, lineOf.get("format"), "format " + format + " is not one this version reads ("
          + FORMAT + ")");
    }
    NodeId id = new NodeId(number(identity, values, lineOf, "node.id", 16));
    long size = number(identity, values, lineOf, "page.size", 10);
    PageSize pageSize;
    try {
      pageSize = new PageSize((int) size);
    } catch (IllegalArgumentException e) {
      throw malformed(identity, lineOf.get("page.size"), e.getMessage());
    }
    return new NodeDataDirectory(root, id, pageSize);
  }

  private static long number(Path file, Map<String, String> values, Map<String, Integer> lineOf, String key,
      int radix) {
    String value = values.get(key);
    if (value == null) {
      throw new GridConfigurationException(file + ": required key '" + key + "' is missing");
    }
    try {
      return Long.parseUnsignedLong(value, radix);
    } catch (NumberFormatException e) {
      throw malformed(file, lineOf.get(key), "'" + key + "' must be a number (base " + radix + "), not '"
          + value + "'");
    }
  }

  private static GridConfigurationException malformed(Path file, int line, String problem) {
    return new GridConfigurationException(file + ":" + line + ": " + problem);
  }
}
