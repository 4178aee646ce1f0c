package io.quire.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SingleNodeDemoTest {
  @TempDir
  Path dir;

  @Test
  void run_pagesBeyondRamBudget_areAllVerifiedAfterRestart() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    SingleNodeDemo.Report report = new SingleNodeDemo(dir, 200, new PrintStream(printed, true,
        StandardCharsets.UTF_8)).run();
    assertThat(report.allVerified()).isTrue();
    assertThat(report.pageOuts()).as("more pages than the RAM tier holds must page out").isPositive();
    assertThat(report.pageIns()).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("OK: every page survived");
  }

  @Test
  void clusterDemo_stoppedAndRestartedNode_losesNoPage() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ClusterDemo.Report report = new ClusterDemo(dir.resolve("cluster"), 20,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    assertThat(report.allVerified()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
  }

  @Test
  void demoCommand_exitsZeroWhenEverythingVerifies() {
    int exit = new CommandLine(new QuireCommand()).execute("demo", "--data", dir.resolve("node").toString(),
        "--pages", "50", "--single-node");
    assertThat(exit).isZero();
  }
}
