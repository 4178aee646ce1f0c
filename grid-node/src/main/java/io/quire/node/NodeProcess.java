package io.quire.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One {@code quire node} process that the demo starts, watches and stops: the same launcher (this JVM's java and
 * class path) on 127.0.0.1, its output appended to {@code <name>.log} beside its data directory. The demo talks to
 * it only through files in its data directory: the {@link NodeStatus} it writes every second, and the request and
 * result files of its hidden {@code --self-test} option ({@link SelfTest}), which is the control channel that writes
 * and reads pages for the demo.
 *
 * <p>Threading: used by the demo's thread only.
 */
final class NodeProcess implements AutoCloseable {
  /** JVM options for a node: small heap and the cheapest JIT and collector, since three share two cores. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true");

  private final String name;
  private final Path data;
  private final Path log;
  private final int port;
  private final String requestPrefix;
  private Process process;
  private int requests;

  /**
   * A node named {@code name} with data directory {@code parent/name}.
   *
   * @param requestPrefix starts the names of this run's request files, so that a rerun on the same directory never
   *     reads an earlier run's results
   */
  NodeProcess(String name, Path parent, int port, String requestPrefix) {
    this.name = name;
    this.data = parent.resolve(name);
    this.log = parent.resolve(name + ".log");
    this.port = port;
    this.requestPrefix = requestPrefix;
  }

  String name() {
    return name;
  }

  Path data() {
    return data;
  }

  Path log() {
    return log;
  }

  int port() {
    return port;
  }

  /** The process id, or -1 when not started. */
  long pid() {
    return process == null ? -1 : process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** The exit code of a process that ended. */
  int exitValue() {
    return process.exitValue();
  }

  /** Starts (or restarts from its data directory) {@code quire node} in the given cluster. */
  void start(String cluster, String members, int k) throws IOException {
    if (alive()) {
      throw new IllegalStateException(name + " is running (pid " + process.pid() + ")");
    }
    Files.createDirectories(data);
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), QuireCommand.class.getName(), "node",
        "--data", data.toString(), "--cluster", cluster, "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--members", members, "--k", Integer.toString(k), "--ram-mb", "16", "--self-test",
        "--exit-with", Long.toString(ProcessHandle.current().pid())));
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** This process's status, when the file is there and was written by the process running now. */
  Optional<NodeStatus> status() {
    try {
      return NodeStatus.readFrom(data).filter(s -> s.pid() == pid());
    } catch (RuntimeException e) {
      return Optional.empty(); // a file being replaced on a filesystem without atomic moves: next time
    }
  }

  /** SIGKILL: no shutdown hook, no hand-over. Waits up to 10 s for the process to end. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs 10 s after SIGKILL");
    }
  }

  /**
   * SIGTERM, so the node hands its pages over and leaves; SIGKILL when it has not ended within {@code wait}.
   *
   * @return true when it ended by itself
   */
  boolean stop(Duration wait) throws InterruptedException {
    if (!alive()) {
      return false;
    }
    process.destroy();
    if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  /** SIGKILL if it still runs: the demo's last word on every node, also when something failed. */
  @Override
  public void close() {
    if (alive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Drops a request ({@code key=value} lines, see {@link SelfTest}) into the node's self-test directory, atomically,
   * and waits for its result.
   *
   * @throws IllegalStateException when the process ends or no result arrives within {@code timeout}
   */
  Properties request(String body, Duration timeout) throws IOException, InterruptedException {
    Path dir = data.resolve(SelfTest.DIRECTORY);
    Files.createDirectories(dir);
    String file = String.format("%s-%04d.properties", requestPrefix, ++requests);
    Path tmp = dir.resolve("tmp-" + file);
    Files.writeString(tmp, body + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("request-" + file));
    Path result = dir.resolve("result-" + file);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(result)) {
      if (!alive()) {
        throw new IllegalStateException(name + " ended (exit " + process.exitValue() + ") before answering "
            + body.replace('\n', ' ') + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not answer " + body.replace('\n', ' ') + " within "
            + timeout.toSeconds() + " s; see " + log);
      }
      Thread.sleep(50);
    }
    return NodeStatus.read(result);
  }

  /** The java launcher of this JVM. */
  private static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
