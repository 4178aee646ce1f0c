package io.quire.node;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.coherence.Topology;
import io.quire.core.page.Durability;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster part of the demo: three nodes in this JVM on the in-JVM transport, each with its own data directory.
 * A page allocated on one node is written and read on the others; one node is stopped without a hand-over (as if it
 * died) and every page stays readable; it restarts from its directory and serves again. Real processes over JGroups
 * replace the in-JVM transport with the JGroups issue.
 */
final class ClusterDemo {
  /** What the cluster demo found. */
  record Report(int pages, int readableWithNodeDown, int readableAfterRestart) {
    boolean allVerified() {
      return readableWithNodeDown == pages && readableAfterRestart == pages;
    }
  }

  private static final int NODES = 3;

  private final Path directory;
  private final int pages;
  private final PrintStream out;

  ClusterDemo(Path directory, int pages, PrintStream out) {
    this.directory = directory;
    this.pages = pages;
    this.out = out;
  }

  Report run() {
    out.printf("Quire cluster demo: %d nodes in this JVM (in-JVM transport), k = 2%n", NODES);
    try (LocalNetwork network = LocalNetwork.threaded()) {
      List<ClusterNode> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < NODES; i++) {
          nodes.add(open(network, i));
        }
        out.printf("1. started %s%n", nodes.stream().map(ClusterNode::id).toList());
        AddressRange range = nodes.get(0).memory().allocate(pages, Durability.PERSISTENT);
        for (int p = 0; p < pages; p++) {
          nodes.get(1 + p % (NODES - 1)).memory().write(range.page(p), text(p));
        }
        out.printf("2. %s allocated %d pages; %s and %s wrote them%n", nodes.get(0).id(), pages, nodes.get(1).id(),
            nodes.get(2).id());
        nodes.get(1).close();
        int readable = verify(nodes.get(2), range);
        out.printf("3. stopped %s without a hand-over; %s reads %d/%d pages%n", nodes.get(1).id(), nodes.get(2).id(),
            readable, pages);
        nodes.set(1, open(network, 1));
        int afterRestart = verify(nodes.get(1), range);
        out.printf("4. restarted %s from its data directory; it reads %d/%d pages%n", nodes.get(1).id(),
            afterRestart, pages);
        Report report = new Report(pages, readable, afterRestart);
        out.println(report.allVerified()
            ? "OK: no page was lost when a node stopped, and the node came back with everything."
            : "FAILED: some pages did not read back as written.");
        return report;
      } finally {
        nodes.forEach(ClusterNode::close);
      }
    }
  }

  private ClusterNode open(LocalNetwork network, int i) {
    GridConfig config = GridConfig.defaults(directory.resolve("node-" + i)).withRamBudgetBytes(4L << 20);
    NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
    LocalTransport transport = network.transport(id);
    return ClusterNode.open(config, transport, transport.runtime(), 2, Topology.FLAT);
  }

  private static byte[] text(int page) {
    return ("cluster page " + page).getBytes(StandardCharsets.UTF_8);
  }

  private int verify(ClusterNode node, AddressRange range) {
    int pageSize = range.pageSize().bytes();
    int good = 0;
    for (int p = 0; p < range.pages(); p++) {
      // A page is logically zero-padded to its size, however many bytes it stores.
      byte[] page = node.memory().read(range.page(p)).toByteArray(pageSize);
      if (java.util.Arrays.equals(page, java.util.Arrays.copyOf(text(p), pageSize))) {
        good++;
      }
    }
    return good;
  }
}
