package io.quire.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quire demo} as a user runs it: a process of its own (the shaded jar when failsafe names it, else this test's
 * class path) that starts three node processes, kills one, restarts it and stops them all. The test checks its exit
 * status, the report's key lines, and that no node process outlives the demo, not even a demo killed with SIGKILL.
 */
class DemoProcessesIT {
  private static final int PAGES = 12;
  /** A healthy run takes about 20 s on two shared cores; the demo's own waits are bounded too. */
  private static final long DEMO_MILLIS = 240_000;

  @TempDir
  Path dir;

  private Process demo;
  private final List<ProcessHandle> spawned = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    if (demo != null && demo.isAlive()) {
      demo.descendants().forEach(spawned::add);
      demo.destroyForcibly();
      demo.waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle p : spawned) {
      p.destroyForcibly();
    }
  }

  @Test
  void demo_killsAndRestartsANodeProcess_verifiesEveryPage_andExitsZero() throws Exception {
    Path output = dir.resolve("demo.out");
    demo = launchDemo(output);

    boolean ended = demo.waitFor(DEMO_MILLIS, TimeUnit.MILLISECONDS);
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(ended).as("the demo ends within %d s:%n%s", DEMO_MILLIS / 1000, printed).isTrue();
    assertThat(demo.exitValue()).as("exit status; output:%n%s", printed).isZero();
    assertThat(printed)
        .contains("1. starting 3 node processes", "all 3 nodes in view")
        .contains("node-1 wrote 4 pages, each acknowledged by 2 nodes")
        .contains("node-3 read 12/12 pages as written after loading")
        .contains("3. killing node-2", "with SIGKILL", "node-2 is gone (exit 137)")
        .contains("node-1 read 12/12 pages as written with node-2 down",
            "node-3 read 12/12 pages as written with node-2 down")
        .contains("k = 2 copies of every page again on node-1, node-3")
        .contains("node-2 read 12/12 pages as written after its restart")
        .contains("node-3 left gracefully", "node-2 left gracefully", "node-1 left gracefully")
        .contains("Report", "kill node-2", "restart node-2", "owned pages / backup copies / k")
        .contains("OK: every page and cache entry was readable with node-2 killed")
        .contains("got 12/12 cache entries as put with node-2 down")
        .doesNotContain("FAILED");
    for (int i = 1; i <= 3; i++) {
      NodeStatus status = NodeStatus.readFrom(dir.resolve("processes").resolve("node-" + i)).orElseThrow();
      assertThat(status.state()).as("node-%d's last state", i).isEqualTo("left");
      assertThat(ProcessHandle.of(status.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("node-%d (pid %d) outlives the demo", i, status.pid()).isFalse();
    }
  }

  /** A demo killed with SIGKILL cannot stop its nodes: each node watches the demo's pid and leaves by itself. */
  @Test
  void demoKilledWithSigkill_leavesNoNodeRunning() throws Exception {
    Path output = dir.resolve("demo.out");
    demo = launchDemo(output);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEMO_MILLIS);
    while (!Files.readString(output, StandardCharsets.UTF_8).contains("2. loading")) {
      assertThat(demo.isAlive()).as("the demo runs:%n%s", Files.readString(output)).isTrue();
      assertThat(System.nanoTime()).as("the nodes start in time").isLessThan(deadline);
      Thread.sleep(100);
    }
    List<ProcessHandle> nodes = demo.descendants().toList();
    spawned.addAll(nodes);
    assertThat(nodes).as("node processes").hasSize(3);
    demo.destroyForcibly();
    assertThat(demo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle node : nodes) {
      assertThat(node.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get())
          .as("node pid %d ends within 30 s of the demo", node.pid()).isNotNull();
    }
    for (int i = 1; i <= 3; i++) {
      assertThat(NodeStatus.readFrom(dir.resolve("processes").resolve("node-" + i)).orElseThrow().state())
          .as("node-%d's last state; its log:%n%s", i, nodeLog(i)).isEqualTo("stopped");
    }
  }

  private String nodeLog(int i) throws IOException {
    Path log = dir.resolve("processes").resolve("node-" + i + ".log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(none)";
  }

  /** {@code quire demo --pages 12 --data <dir>}: the shaded jar when failsafe names it, else this class path. */
  private Process launchDemo(Path output) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    String jar = System.getProperty("quire.jar");
    if (jar != null && Files.isRegularFile(Path.of(jar))) {
      command.addAll(List.of("-jar", jar));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), QuireCommand.class.getName()));
    }
    command.addAll(List.of("demo", "--pages", Integer.toString(PAGES), "--data", dir.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }
}
