package io.quire.node;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a running {@code quire node} reports about itself, written to {@value #FILE} in its data directory every
 * second (replaced atomically, so a reader never sees half a file) and read by {@code quire status}.
 *
 * @param node the node's id ({@code node-<hex>})
 * @param pid the process id
 * @param state {@code joining}, {@code running}, {@code leaving}, {@code left} (after a graceful leave) or
 *     {@code stopped} (closed without a hand-over: {@code quire node --exit-with} saw its process end)
 * @param address the bind address and port
 * @param group the node's failure-group path ({@code quire node --group}, e.g. {@code site-a/rack-1}; reported only,
 *     see {@code NodeCommand}), or {@value #UNKNOWN} in a file written before groups were reported
 * @param cluster the JGroups cluster name
 * @param k how many nodes hold each page
 * @param viewId the id of the view the node works in (0 before it joined)
 * @param members the view's members
 * @param ownedPages pages this node owns (-1: not known)
 * @param replicaPages backup copies this node keeps of pages others own (-1: not known)
 * @param ramPages pages resident in this node's RAM tier (its own pages and read copies, not backup copies; -1: not
 *     known)
 * @param ramBytes bytes the RAM tier is charged for them (-1: not known)
 * @param diskPages pages in this node's disk tier (-1: not known)
 * @param directoryDepth levels of this node's directory, root to leaf (-1: not known)
 * @param replication {@code satisfied} (every page this node owns has its backups at the current version),
 *     {@code pending}, or {@code unknown}
 * @param caches the names of the cluster's JCache caches, as this node's provider sees them (empty: none, or not known)
 * @param updatedMillis when the file was written (epoch milliseconds)
 */
record NodeStatus(String node, long pid, String state, String address, String group, String cluster, int k,
    long viewId, List<String> members, long ownedPages, long replicaPages, long ramPages, long ramBytes,
    long diskPages, int directoryDepth, String replication, List<String> caches, long updatedMillis) {

  static final String FILE = "status.properties";

  /** The value of a string that the file does not hold (written by an older node). */
  static final String UNKNOWN = "unknown";

  /** A status file older than this means the node is not running (it writes one every second). */
  static final long STALE_AFTER_MILLIS = 5_000;

  /** Writes this status to {@code dataDirectory}, atomically. */
  void writeTo(Path dataDirectory) {
    Properties p = new Properties();
    p.setProperty("node", node);
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("state", state);
    p.setProperty("address", address);
    p.setProperty("group", group);
    p.setProperty("cluster", cluster);
    p.setProperty("k", Integer.toString(k));
    p.setProperty("view.id", Long.toString(viewId));
    p.setProperty("view.members", String.join(",", members));
    p.setProperty("pages.owned", Long.toString(ownedPages));
    p.setProperty("pages.replicas", Long.toString(replicaPages));
    p.setProperty("ram.pages", Long.toString(ramPages));
    p.setProperty("ram.bytes", Long.toString(ramBytes));
    p.setProperty("disk.pages", Long.toString(diskPages));
    p.setProperty("directory.depth", Integer.toString(directoryDepth));
    p.setProperty("replication", replication);
    p.setProperty("caches", String.join(",", caches));
    p.setProperty("updated", Long.toString(updatedMillis));
    writeAtomically(dataDirectory.resolve(FILE), p, "quire node status");
  }

  /**
   * The status in {@code dataDirectory}, or empty when there is none (the node never ran there). A key the file lacks
   * (it was written by an older node) reads as {@value #UNKNOWN}, or -1 for a number.
   */
  static Optional<NodeStatus> readFrom(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = read(file);
    String members = p.getProperty("view.members", "");
    String caches = p.getProperty("caches", "");
    return Optional.of(new NodeStatus(p.getProperty("node", "?"), Long.parseLong(p.getProperty("pid", "-1")),
        p.getProperty("state", "?"), p.getProperty("address", "?"), p.getProperty("group", UNKNOWN),
        p.getProperty("cluster", "?"), Integer.parseInt(p.getProperty("k", "0")),
        Long.parseLong(p.getProperty("view.id", "0")),
        members.isEmpty() ? List.of() : Arrays.asList(members.split(",")),
        Long.parseLong(p.getProperty("pages.owned", "-1")), Long.parseLong(p.getProperty("pages.replicas", "-1")),
        Long.parseLong(p.getProperty("ram.pages", "-1")), Long.parseLong(p.getProperty("ram.bytes", "-1")),
        Long.parseLong(p.getProperty("disk.pages", "-1")), Integer.parseInt(p.getProperty("directory.depth", "-1")),
        p.getProperty("replication", UNKNOWN), caches.isEmpty() ? List.of() : Arrays.asList(caches.split(",")),
        Long.parseLong(p.getProperty("updated", "0"))));
  }

  /**
   * True when the process that wrote this status still runs and wrote it recently. A process on another host (a
   * shared directory) cannot be checked by pid, so the age alone decides there.
   */
  boolean live(long nowMillis) {
    if (state.equals("left") || nowMillis - updatedMillis > STALE_AFTER_MILLIS) {
      return false;
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  static void writeAtomically(Path file, Properties properties, String comment) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        properties.store(out, comment);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static Properties read(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return p;
  }
}
