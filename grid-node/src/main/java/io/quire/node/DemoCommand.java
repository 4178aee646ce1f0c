package io.quire.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quire demo}: runs the single-node demo and prints what happened. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Starts a node, writes pages beyond its RAM budget so they page to disk, restarts it and reads "
        + "everything back; then runs three nodes in this JVM, stops one and restarts it, checking every page.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--data", description = "Data directory for the demo node (default: a new temporary directory).")
  Path data;

  @Option(names = "--pages", defaultValue = "400", description = "Pages to write, half volatile, half persistent "
      + "(default: ${DEFAULT-VALUE}).")
  int pages;

  @Override
  public Integer call() throws IOException {
    Path directory = data != null ? data : Files.createTempDirectory("quire-demo-");
    SingleNodeDemo.Report single = new SingleNodeDemo(directory.resolve("single"), pages, System.out).run();
    System.out.println();
    ClusterDemo.Report cluster = new ClusterDemo(directory.resolve("cluster"), Math.min(pages, 64), System.out).run();
    return single.allVerified() && cluster.allVerified() ? 0 : 1;
  }
}
