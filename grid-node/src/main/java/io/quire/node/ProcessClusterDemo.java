package io.quire.node;

import io.quire.transport.jgroups.LoopbackPorts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The demo of {@code quire demo}: a cluster of three {@code quire node} processes over JGroups on 127.0.0.1, k = 2.
 * Each node writes a third of the pages (from its own address region), every node reads all of them; one node is
 * killed with SIGKILL, the survivors read every page and rebuild k copies; the node restarts from its data directory,
 * rejoins and reads every page; then every node leaves gracefully (SIGTERM). It prints progress while it runs and a
 * report at the end.
 *
 * <p>The demo speaks to the nodes only through files in their data directories ({@link NodeProcess}): their status
 * files, and the request files of their hidden {@code --self-test} option, which writes and reads pages of the memory
 * API. These are pages, not cache entries: caches on node processes come with the provider's JGroups support.
 *
 * <p>Threading: one thread; every node process is killed by pid when the demo ends, also on failure or Ctrl-C.
 */
final class ProcessClusterDemo {
  /** The JCache cache the demo fills through one node's manager and reads through the others'. */
  static final String CACHE = "demo";

  /** How long a phase may wait for a view, k copies or a node's answer before the demo gives up. */
  static final Duration WAIT = Duration.ofSeconds(90);
  /** How long a node may take to hand its pages over and exit after SIGTERM. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);
  private static final int NODES = 3;
  private static final int K = 2;
  /** The node killed and restarted: the middle one, which allocated and wrote pages of its own. */
  private static final int VICTIM = 1;
  /** How often the demo starts the nodes on other ports when one ends at start (its port was taken). */
  private static final int START_ATTEMPTS = 3;

  /** A timed phase of the demo and the view it ended in (0: none). */
  record Phase(String name, Duration took, long viewId, int members) {}

  /** What a node held at the end of the restart phase. */
  record Holding(String name, String node, long ownedPages, long replicaPages, String replication) {}

  /** What the demo found; {@code failure} is empty when every step verified. */
  record Report(int pages, List<Phase> phases, List<Holding> holdings, int gracefulLeaves,
      Optional<String> failure) {
    boolean allVerified() {
      return failure.isEmpty();
    }
  }

  private final Path directory;
  private final int pages;
  private final PrintStream out;
  private final List<Phase> phases = new ArrayList<>();
  private final Map<String, String> lastProgress = new HashMap<>();
  private long phaseStart;

  ProcessClusterDemo(Path directory, int pages, PrintStream out) {
    if (pages < NODES) {
      throw new IllegalArgumentException("the cluster demo needs at least " + NODES + " pages, not " + pages);
    }
    this.directory = directory.toAbsolutePath();
    this.pages = pages;
    this.out = out;
  }

  Report run() {
    String cluster = "quire-demo-" + UUID.randomUUID().toString().substring(0, 8);
    List<NodeProcess> nodes = new CopyOnWriteArrayList<>(); // read by the shutdown hook's thread
    Thread killer = new Thread(() -> nodes.forEach(NodeProcess::close), "quire-demo-kill-nodes");
    Runtime.getRuntime().addShutdownHook(killer); // Ctrl-C: no node outlives the demo
    out.printf("Quire cluster demo: %d `quire node` processes over JGroups on 127.0.0.1, k = %d%n", NODES, K);
    out.printf("  cluster '%s', data directories and logs: %s%n", cluster, directory);
    List<Holding> holdings = List.of();
    int graceful = 0;
    Optional<String> failure = Optional.empty();
    try {
      holdings = steps(nodes, cluster);
      graceful = stopAll(nodes);
      if (graceful < NODES) {
        failure = Optional.of((NODES - graceful) + " node(s) did not leave gracefully within "
            + STOP_WAIT.toSeconds() + " s and were killed");
      }
    } catch (DemoFailure | IOException | RuntimeException e) {
      failure = Optional.of(e.getMessage() != null ? e.getMessage() : e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = Optional.of("interrupted");
    } finally {
      nodes.forEach(NodeProcess::close);
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway.
      }
    }
    Report report = new Report(pages, List.copyOf(phases), holdings, graceful, failure);
    printReport(report, nodes);
    return report;
  }

  /** Start, load, kill, restart; returns what each node holds after the restart. */
  private List<Holding> steps(List<NodeProcess> nodes, String cluster)
      throws DemoFailure, IOException, InterruptedException {
    begin("1. starting " + NODES + " node processes");
    String members = startAll(nodes, cluster);
    long view = awaitCluster(nodes, NODES, 0, false);
    end("start", view, NODES, "   all " + NODES + " nodes in view " + view);

    begin("2. loading " + pages + " pages (each node writes a third, persistent, k = " + K + ")");
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      int share = pages / NODES + (i < pages % NODES ? 1 : 0);
      Properties written = nodes.get(i).request("op=write\npages=" + share, WAIT);
      check(written.getProperty("error") == null, nodes.get(i).name() + " could not write: "
          + written.getProperty("error"));
      check(Integer.toString(share).equals(written.getProperty("acknowledged")), nodes.get(i).name()
          + " had " + written.getProperty("acknowledged") + " of " + share + " writes acknowledged");
      ranges.add("range.hi=" + written.getProperty("range.hi") + "\nrange.lo=" + written.getProperty("range.lo")
          + "\npages=" + share);
      out.printf("   %s wrote %d pages, each acknowledged by %d nodes%n", nodes.get(i).name(), share, K);
    }
    for (NodeProcess node : nodes) {
      readAll(node, ranges, "after loading");
    }
    NodeProcess filler = nodes.get(VICTIM);
    Properties put = filler.request("op=cache-put\ncache=" + CACHE + "\nentries=" + pages, WAIT);
    check(put.getProperty("error") == null, filler.name() + " could not fill cache '" + CACHE + "': "
        + put.getProperty("error"));
    check(Integer.toString(pages).equals(put.getProperty("acknowledged")), filler.name() + " had "
        + put.getProperty("acknowledged") + " of " + pages + " cache puts return");
    out.printf("   %s put %d entries into JCache cache '%s' (its own manager, running on that node)%n",
        filler.name(), pages, CACHE);
    for (NodeProcess node : nodes) {
      getAll(node, "after loading");
    }
    awaitCluster(nodes, NODES, view - 1, true);
    end("load", view, NODES, null);

    NodeProcess victim = nodes.get(VICTIM);
    List<NodeProcess> survivors = nodes.stream().filter(n -> n != victim).toList();
    begin("3. killing " + victim.name() + " (pid " + victim.pid() + ") with SIGKILL: no hand-over");
    victim.kill();
    out.printf("   %s is gone (exit %d)%n", victim.name(), victim.exitValue());
    long down = awaitCluster(survivors, NODES - 1, view, false);
    for (NodeProcess node : survivors) {
      readAll(node, ranges, "with " + victim.name() + " down");
      getAll(node, "with " + victim.name() + " down");
    }
    awaitCluster(survivors, NODES - 1, down - 1, true);
    printHoldings(survivors);
    end("kill " + victim.name(), down, NODES - 1, "   k = " + K + " copies of every page again on "
        + names(survivors));

    begin("4. restarting " + victim.name() + " from its data directory");
    victim.start(cluster, members, K);
    long back = awaitCluster(nodes, NODES, down, false);
    readAll(victim, ranges, "after its restart");
    getAll(victim, "after its restart");
    awaitCluster(nodes, NODES, back - 1, true);
    List<Holding> holdings = printHoldings(nodes);
    end("restart " + victim.name(), back, NODES, null);
    return holdings;
  }

  /**
   * Starts the nodes on ports free at this moment and waits until each has written its first status. A node that
   * ends at once (another program took its port in between) makes the demo try again with other ports, up to
   * {@value #START_ATTEMPTS} times.
   *
   * @return the member list, for the restart
   */
  private String startAll(List<NodeProcess> nodes, String cluster)
      throws DemoFailure, IOException, InterruptedException {
    String requestPrefix = "demo-" + System.currentTimeMillis();
    for (int attempt = 1; ; attempt++) {
      List<Integer> ports = LoopbackPorts.free(NODES);
      String members = ports.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
      nodes.clear();
      for (int i = 0; i < NODES; i++) {
        nodes.add(new NodeProcess("node-" + (i + 1), directory, ports.get(i), requestPrefix));
      }
      for (NodeProcess node : nodes) {
        node.start(cluster, members, K);
        out.printf("   %s: pid %d, 127.0.0.1[%d], data %s, log %s%n", node.name(), node.pid(), node.port(),
            node.data().getFileName(), node.log().getFileName());
      }
      try {
        awaitStatus(nodes);
        return members;
      } catch (NodeEnded e) {
        nodes.forEach(NodeProcess::close);
        if (attempt == START_ATTEMPTS) {
          throw e;
        }
        out.printf("   %s; trying again with other ports%n", e.getMessage());
      }
    }
  }

  /** Waits until every node has written a status (so it holds its ports), failing at once when one ends. */
  private void awaitStatus(List<NodeProcess> nodes) throws DemoFailure, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!nodes.stream().allMatch(n -> n.status().filter(s -> !s.state().equals("joining")).isPresent())) {
      for (NodeProcess node : nodes) {
        requireAlive(node);
        node.status().ifPresent(s -> progress(node, s));
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailure("timed out after " + WAIT.toSeconds() + " s waiting for the nodes to start; see the "
            + "logs in " + directory);
      }
      Thread.sleep(100);
    }
  }

  private static void requireAlive(NodeProcess node) throws NodeEnded {
    if (!node.alive()) {
      throw new NodeEnded(node.name() + " ended (exit " + node.exitValue() + "); see " + node.log());
    }
  }

  /** SIGTERM to each node in turn (each hands its pages to the others); returns how many left by themselves. */
  private int stopAll(List<NodeProcess> nodes) throws InterruptedException {
    begin("5. stopping the nodes with SIGTERM, one after another (graceful leave)");
    int graceful = 0;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      NodeProcess node = nodes.get(i);
      boolean left = node.stop(STOP_WAIT) && node.status().map(s -> s.state().equals("left")).orElse(false);
      graceful += left ? 1 : 0;
      out.printf("   %s %s%n", node.name(), left ? "left gracefully" : "was killed after " + STOP_WAIT.toSeconds()
          + " s");
    }
    end("stop", 0, 0, null);
    return graceful;
  }

  /** Has {@code node} get every entry of the demo's cache through its own manager; fails unless each reads as put. */
  private void getAll(NodeProcess node, String when) throws DemoFailure, IOException, InterruptedException {
    Properties got = node.request("op=cache-get\ncache=" + CACHE + "\nentries=" + pages, WAIT);
    check(got.getProperty("error") == null, node.name() + " could not read cache '" + CACHE + "' " + when + ": "
        + got.getProperty("error"));
    check(got.getProperty("firstBad") == null, node.name() + " read an entry " + when + " that was not as put: "
        + got.getProperty("firstBad"));
    check(Integer.toString(pages).equals(got.getProperty("good")), node.name() + " read " + got.getProperty("good")
        + "/" + pages + " cache entries " + when);
    out.printf("   %s got %d/%d cache entries as put %s%n", node.name(), pages, pages, when);
  }

  /** Has {@code node} read every page of every range; fails unless every page reads as written. */
  private void readAll(NodeProcess node, List<String> ranges, String when)
      throws DemoFailure, IOException, InterruptedException {
    int good = 0;
    for (String range : ranges) {
      Properties read = node.request("op=read\n" + range, WAIT);
      check(read.getProperty("error") == null, node.name() + " could not read " + when + ": "
          + read.getProperty("error"));
      good += Integer.parseInt(read.getProperty("good", "0"));
      check(read.getProperty("firstBad") == null, node.name() + " read a page " + when + " that was not as "
          + "written: " + read.getProperty("firstBad"));
    }
    check(good == pages, node.name() + " read " + good + "/" + pages + " pages " + when);
    out.printf("   %s read %d/%d pages as written %s%n", node.name(), good, pages, when);
  }

  /**
   * Waits until every node in {@code nodes} runs in one view of {@code size} members newer than {@code afterViewId}
   * (and, with {@code needK}, reports k copies of every page it owns), printing each node's state as it changes.
   *
   * @return the view id
   */
  private long awaitCluster(List<NodeProcess> nodes, int size, long afterViewId, boolean needK)
      throws DemoFailure, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<NodeStatus> statuses = new ArrayList<>();
      for (NodeProcess node : nodes) {
        requireAlive(node);
        Optional<NodeStatus> status = node.status();
        status.ifPresent(s -> progress(node, s));
        status.ifPresent(statuses::add);
      }
      if (statuses.size() == nodes.size()
          && statuses.stream().allMatch(s -> s.state().equals("running") && s.members().size() == size
              && s.viewId() > afterViewId && (!needK || s.replication().equals("satisfied")))
          && statuses.stream().map(NodeStatus::viewId).distinct().count() == 1) {
        return statuses.get(0).viewId();
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailure("timed out after " + WAIT.toSeconds() + " s waiting for " + names(nodes) + " to run in "
            + "one view of " + size + (needK ? " with k copies of every page" : "") + "; see the logs in "
            + directory);
      }
      Thread.sleep(100);
    }
  }

  /** Prints a node's state, view and k whenever they change. */
  private void progress(NodeProcess node, NodeStatus s) {
    String line = String.format("%s: %s, view %d (%d members), k %s", node.name(), s.state(), s.viewId(),
        s.members().size(), s.replication().equals("satisfied") ? "ok" : s.replication());
    if (!line.equals(lastProgress.put(node.name(), line))) {
      out.printf("   .. %s%n", line);
    }
  }

  private List<Holding> printHoldings(List<NodeProcess> nodes) {
    List<Holding> holdings = new ArrayList<>();
    for (NodeProcess node : nodes) {
      node.status().ifPresent(s -> {
        holdings.add(new Holding(node.name(), s.node(), s.ownedPages(), s.replicaPages(), s.replication()));
        out.printf("   %s (%s): owns %d pages, keeps %d backup copies, k %s%n", node.name(), s.node(),
            s.ownedPages(), s.replicaPages(), s.replication().equals("satisfied") ? "ok" : s.replication());
      });
    }
    return holdings;
  }

  private void begin(String title) {
    out.println(title);
    out.flush();
    phaseStart = System.nanoTime();
  }

  private void end(String name, long viewId, int members, String summary) {
    if (summary != null) {
      out.println(summary);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - phaseStart);
    phases.add(new Phase(name, took, viewId, members));
    out.printf("   (%s: %.1f s)%n", name, took.toMillis() / 1000.0);
    out.flush();
  }

  private void printReport(Report report, List<NodeProcess> nodes) {
    out.println();
    out.println("Report");
    out.printf("  pages: %d written across %d nodes (%s), k = %d%n", report.pages(), NODES, names(nodes), K);
    for (Phase phase : report.phases()) {
      out.printf("  %-16s %6.1f s%s%n", phase.name(), phase.took().toMillis() / 1000.0,
          phase.viewId() > 0 ? "   view " + phase.viewId() + " (" + phase.members() + " members)" : "");
    }
    Map<String, Holding> byName = new LinkedHashMap<>();
    report.holdings().forEach(h -> byName.put(h.name(), h));
    if (!byName.isEmpty()) {
      out.println("  after the restart:  owned pages / backup copies / k");
      byName.values().forEach(h -> out.printf("    %-8s %-22s %5d / %5d / %s%n", h.name(), h.node(),
          h.ownedPages(), h.replicaPages(), h.replication().equals("satisfied") ? "ok" : h.replication()));
    }
    if (report.allVerified()) {
      out.printf("OK: every page and cache entry was readable with %s killed, k = %d copies were rebuilt, it "
          + "rejoined with "
          + "everything, and all %d nodes left gracefully.%n", nodes.get(VICTIM).name(), K, report.gracefulLeaves());
    } else {
      out.printf("FAILED: %s%n  node logs: %s%n", report.failure().get(), directory);
    }
    out.flush();
  }

  private static String names(List<NodeProcess> nodes) {
    return nodes.stream().map(NodeProcess::name).collect(Collectors.joining(", "));
  }

  private static void check(boolean condition, String failure) throws DemoFailure {
    if (!condition) {
      throw new DemoFailure(failure);
    }
  }

  /** A step that did not verify; its message is the report's failure line. */
  private static class DemoFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
      super(message);
    }
  }

  /** A node process that ended while the demo waited for it. */
  private static final class NodeEnded extends DemoFailure {
    private static final long serialVersionUID = 1L;

    NodeEnded(String message) {
      super(message);
    }
  }
}
