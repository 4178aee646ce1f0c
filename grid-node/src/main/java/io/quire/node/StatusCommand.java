package io.quire.node;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * prints the view and, per node, its state, view, pages and replication. Exits 0 when every node found is running (or
 * left gracefully) and the running ones are in one view, 1 otherwise, 2 when no status file was found.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the cluster's view and, per node, its pages (owned/backup copies) and whether k holds, "
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
    String format = "%-22s %-8s %8s %-18s %5s %7s %6s %8s %-10s %s%n";
    out.printf(format, "NODE", "STATE", "PID", "ADDRESS", "VIEW", "MEMBERS", "OWNED", "REPLICAS", "K", "UPDATED");
    for (NodeStatus s : statuses) {
      boolean up = s.live(nowMillis);
      out.printf(format, s.node(), up ? s.state() : s.state().equals("left") ? "left" : "down", s.pid(), s.address(),
          s.viewId(), s.members().size(), count(s.ownedPages()), count(s.replicaPages()),
          up ? s.k() + " " + (s.replication().equals("satisfied") ? "ok" : s.replication()) : "-",
          age(nowMillis - s.updatedMillis()));
    }
    boolean oneView = live.stream().map(NodeStatus::viewId).distinct().count() <= 1;
    boolean noneDown = statuses.stream().allMatch(s -> s.live(nowMillis) || s.state().equals("left"));
    return noneDown && oneView ? 0 : 1;
  }

  private static String count(long n) {
    return n < 0 ? "?" : Long.toString(n);
  }

  private static String age(long millis) {
    return millis < 60_000 ? String.format("%.1f s ago", millis / 1000.0) : (millis / 60_000) + " min ago";
  }
}
