package io.quire.node;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quire status}: reads the status files that running {@code quire node}s write to their data directories and
 * prints the view and, per node, its state, view, pages (owned, backup copies, per tier), directory depth, replication
 * and group. Exits 0 when every node found is running (or left gracefully) and the running ones are in one view, 1
 * otherwise, 2 when no status file was found.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the cluster's view and, per node, its pages (owned, backup copies, in RAM and on disk), "
        + "its directory's depth, whether k holds and its group, "
        + "from the status files of the nodes' data directories. Exit status: 0 when every node is running (or "
        + "left) in one view, 1 otherwise, 2 when no status was found.")
final class StatusCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "DIR", description = "Data directories of nodes, or directories whose "
      + "subdirectories are (e.g. data/ for data/node-1, data/node-2).")
  List<Path> directories = new ArrayList<>();

  @Option(names = "--data", arity = "1..*", paramLabel = "DIR", description = "The same as the DIR arguments.")
  List<Path> data = new ArrayList<>();

  @Override
  public Integer call() {
    List<Path> all = new ArrayList<>(data);
    all.addAll(directories);
    if (all.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "name at least one data directory");
    }
    return print(find(all), System.currentTimeMillis(), System.out);
  }

  /** The statuses in {@code directories}, each a node's data directory or a parent of some. */
  static List<NodeStatus> find(List<Path> directories) {
    List<NodeStatus> found = new ArrayList<>();
    for (Path dir : directories) {
      Optional<NodeStatus> own = NodeStatus.readFrom(dir);
      if (own.isPresent()) {
        found.add(own.get());
      } else if (Files.isDirectory(dir)) {
        try (Stream<Path> children = Files.list(dir)) {
          children.filter(Files::isDirectory).sorted().map(NodeStatus::readFrom).flatMap(Optional::stream)
              .forEach(found::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + dir, e);
        }
      }
    }
    return found;
  }

  /** Prints the table and returns the exit status. */
  static int print(List<NodeStatus> statuses, long nowMillis, PrintStream out) {
    if (statuses.isEmpty()) {
      out.println("no node status found (a running 'quire node' writes " + NodeStatus.FILE + " to its data "
          + "directory every second)");
      return 2;
    }
    List<NodeStatus> live = statuses.stream().filter(s -> s.live(nowMillis)).toList();
    Optional<NodeStatus> newest = live.stream().max(Comparator.comparingLong(NodeStatus::viewId));
    if (newest.isPresent()) {
      NodeStatus n = newest.get();
      out.printf("cluster '%s', view %d: %d members %s%n", n.cluster(), n.viewId(), n.members().size(),
          String.join(", ", n.members()));
      if (!n.caches().isEmpty()) {
        out.printf("caches: %s%n", String.join(", ", n.caches()));
      }
    } else {
      out.println("no node is running");
    }
    // 111 columns before the group, which comes last so that a long path does not push the others apart.
    String format = "%-21s %-7s %7s %-16s %4s %5s %7s %9s %5s %5s %-9s %4s %s%n";
    out.printf(format, "NODE", "STATE", "PID", "ADDRESS", "VIEW", "OWNED", "BACKUPS", "RAM", "DISK", "DEPTH", "K",
        "AGE", "GROUP");
    for (NodeStatus s : statuses) {
      boolean up = s.live(nowMillis);
      out.printf(format, s.node(), up ? s.state() : s.state().equals("left") ? "left" : "down", s.pid(), s.address(),
          s.viewId(), count(s.ownedPages()), count(s.replicaPages()), ram(s.ramPages(), s.ramBytes()),
          count(s.diskPages()), count(s.directoryDepth()),
          up ? s.k() + " " + (s.replication().equals("satisfied") ? "ok" : s.replication()) : "-",
          age(nowMillis - s.updatedMillis()), s.group().equals(NodeStatus.UNKNOWN) ? "?" : s.group());
    }
    boolean oneView = live.stream().map(NodeStatus::viewId).distinct().count() <= 1;
    boolean noneDown = statuses.stream().allMatch(s -> s.live(nowMillis) || s.state().equals("left"));
    return noneDown && oneView ? 0 : 1;
  }

  private static String count(long n) {
    return n < 0 ? "?" : Long.toString(n);
  }

  /** RAM pages and their bytes, e.g. {@code 120/480K}. */
  static String ram(long pages, long bytes) {
    return pages < 0 ? "?" : bytes < 0 ? pages + "/?" : pages + "/" + bytes(bytes);
  }

  /** A byte count in at most four characters: {@code 512}, {@code 480K}, {@code 1.5M}, {@code 64M}, {@code 2.0G}. */
  static String bytes(long n) {
    String units = "KMGTPE";
    if (n < 1000) {
      return Long.toString(n);
    }
    double value = n;
    int unit = -1;
    while (value >= 999.5 && unit < units.length() - 1) {
      value /= 1024;
      unit++;
    }
    return (value < 9.95 ? String.format(Locale.ROOT, "%.1f", value)
        : String.format(Locale.ROOT, "%.0f", value)) + units.charAt(unit);
  }

  /** How long ago the file was written: {@code 0.8s}, {@code 42s}, {@code 3m}. */
  private static String age(long millis) {
    return millis < 10_000 ? String.format(Locale.ROOT, "%.1fs", millis / 1000.0)
        : millis < 60_000 ? (millis / 1000) + "s" : (millis / 60_000) + "m";
  }
}
