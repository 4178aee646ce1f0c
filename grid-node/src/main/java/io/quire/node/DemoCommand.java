package io.quire.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quire demo}: by default a cluster of three {@code quire node} processes that loses one to SIGKILL and gets it
 * back ({@link ProcessClusterDemo}); {@code --single-node} runs the paging demo of one node instead, {@code --in-jvm}
 * three nodes in this JVM on the in-JVM transport.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Starts three 'quire node' processes on 127.0.0.1 (k = 2), has them write pages and read each "
        + "other's, kills one with SIGKILL, checks that the others read every page and rebuild k copies, restarts it "
        + "from its data directory, checks that it reads everything, stops all with SIGTERM and prints a report. "
        + "Exit status 0 only when every step verified.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--data", description = "Directory for the nodes' data directories and logs (default: a new "
      + "temporary directory).")
  Path data;

  @Option(names = "--pages", defaultValue = "300", description = "Pages to write (default: ${DEFAULT-VALUE}).")
  int pages;

  @Option(names = "--single-node", description = "Instead: one node in this JVM writes pages beyond its RAM budget "
      + "(so they page to disk), restarts and reads everything back.")
  boolean singleNode;

  @Option(names = "--in-jvm", description = "Instead: three nodes in this JVM on the in-JVM transport, one stopped "
      + "without a hand-over and restarted.")
  boolean inJvm;

  @Override
  public Integer call() throws IOException {
    if (singleNode && inJvm) {
      throw new IllegalArgumentException("choose one of --single-node and --in-jvm");
    }
    Path directory = data != null ? data : Files.createTempDirectory("quire-demo-");
    boolean verified;
    if (singleNode) {
      verified = new SingleNodeDemo(directory.resolve("single"), pages, System.out).run().allVerified();
    } else if (inJvm) {
      verified = new ClusterDemo(directory.resolve("cluster"), Math.min(pages, 64), System.out).run().allVerified();
    } else {
      verified = new ProcessClusterDemo(directory.resolve("processes"), pages, System.out).run().allVerified();
    }
    return verified ? 0 : 1;
  }
}
