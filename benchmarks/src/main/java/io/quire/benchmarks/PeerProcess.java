package io.quire.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TwoNodePeer} process seen from the benchmark fork that started it: spawned with this JVM's {@code java} and
 * class path, its output in a log file, and a control connection to it on 127.0.0.1. {@link #close} kills it by pid;
 * so does a shutdown hook if the fork ends first, and the peer ends itself when the fork's process is gone.
 *
 * <p>Used by one thread at a time: JMH runs trial and invocation fixtures on one thread, and {@link #request} is
 * synchronized for the benchmark threads of a {@code @Threads(2)} benchmark that never call it, should one ever do.
 */
final class PeerProcess implements AutoCloseable {
  /** Bounds the wait for the peer to start its member and open its control port. */
  static final long START_SECONDS = 90;
  /** The JVM options of the peer: a pre-touched heap as the forks have, and the opens Hazelcast asks for. */
  private static final List<String> JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /**
   * Extra JVM options for the peer, split on spaces (e.g. {@code -XX:StartFlightRecording=filename=peer.jfr} to profile
   * the other side of a two-JVM benchmark): the fork's own {@code -jvmArgsAppend} does not reach the peer.
   */
  static final String PEER_JVM_OPTIONS = "quire.bench.peerJvmOptions";

  private final Process process;
  private final Path log;
  private final Thread killer;
  private Socket socket;
  private DataInputStream in;
  private DataOutputStream out;

  private PeerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.killer = new Thread(process::destroyForcibly, "kill-peer-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /**
   * Starts {@code TwoNodePeer mode controlPort <this pid> args...}, its output appended to {@code log}, and waits
   * (at most {@value #START_SECONDS} s) until its control port accepts a connection.
   */
  static PeerProcess start(String mode, int controlPort, Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    String extra = System.getProperty(PEER_JVM_OPTIONS, "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-D" + TwoNodeBench.TCP_NO_DELAY + "=" + TwoNodeBench.tcpNoDelay());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TwoNodePeer.class.getName(), mode,
        Integer.toString(controlPort), Long.toString(ProcessHandle.current().pid())));
    command.addAll(List.of(args));
    PeerProcess peer;
    try {
      peer = new PeerProcess(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the peer JVM: " + command, e);
    }
    try {
      peer.connect(controlPort);
      return peer;
    } catch (RuntimeException e) {
      peer.close();
      throw e;
    }
  }

  long pid() {
    return process.pid();
  }

  private void connect(int port) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the peer JVM (pid " + process.pid() + ") exited with " + process.exitValue()
            + " before it opened its control port " + port + "; its log " + log + " ends:\n" + logTail());
      }
      try {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        return;
      } catch (ConnectException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the peer JVM (pid " + process.pid() + ") did not open its control port "
              + port + " within " + START_SECONDS + " s; its log " + log + " ends:\n" + logTail());
        }
        sleep(50);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot connect to the peer's control port " + port, e);
      }
    }
  }

  /** Has the peer do {@code op} (a {@link TwoNodePeer} op) and waits for it to be done. */
  synchronized void request(byte op, int a, int b) {
    try {
      out.writeByte(op);
      out.writeInt(a);
      out.writeInt(b);
      out.flush();
      if (in.readByte() != TwoNodePeer.OK) {
        throw new IllegalStateException("the peer failed op " + op + "(" + a + ", " + b + "): " + in.readUTF());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lost the peer JVM (pid " + process.pid() + "; log " + log + ")", e);
    }
  }

  /** Closes the control connection (the peer then ends itself) and kills the peer by pid; waits until it is gone. */
  @Override
  public void close() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException ignored) {
      // The kill below ends the peer either way.
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        System.err.println("the peer JVM (pid " + process.pid() + ") is still alive 30 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs (or ran) anyway; the process is already gone.
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the peer JVM", e);
    }
  }
}
