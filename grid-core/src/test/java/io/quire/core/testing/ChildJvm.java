package io.quire.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from the test classpath, read line by line and killed by process id. Every wait is bounded, and
 * {@link #close()} kills the process with SIGKILL if it is still alive, so no test leaves one behind.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("ChildJvm: output closed: " + e);
      }
    }, "child-jvm-reader-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} with {@code args} in a new JVM on this test's classpath; stderr joins stdout. */
  public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", classpath,
        mainClass.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildJvm(process);
  }

  /**
   * Returns the next output line that matches {@code wanted}, collecting every line read on the way into {@code
   * seen}; fails if none comes within {@code seconds}.
   */
  public String awaitLine(Predicate<String> wanted, long seconds, List<String> seen) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("child JVM " + process.pid() + " printed no matching line within " + seconds
            + "s (alive=" + process.isAlive() + "); last lines: " + tail(seen));
      }
      seen.add(line);
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  /** Kills the process with SIGKILL and waits for it to die. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child JVM " + process.pid() + " survived SIGKILL for 30s");
    }
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Lines printed since the last {@link #awaitLine}, without waiting. */
  public List<String> drain() {
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    return rest;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  private static List<String> tail(List<String> seen) {
    return seen.subList(Math.max(0, seen.size() - 10), seen.size());
  }
}
