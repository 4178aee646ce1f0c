package io.quire.transport.jgroups;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Free TCP ports on 127.0.0.1 for a cluster on one host (tests, the process demo, the benchmarks), chosen below the
 * system's ephemeral port range.
 *
 * <p>Why not bind port 0 and reuse the number: the system hands out port-0 binds from the same ephemeral range as the
 * local ports of outgoing connections. Between the moment a port is found free and the moment its node binds it, the
 * members already started keep connecting to it (TCPPING probes every initial member), and on Linux such a connect can
 * draw that very port as its own local port and connect to itself (a TCP simultaneous open), holding the port so the
 * node fails with "No available port to bind to". A port outside the ephemeral range is never an outgoing
 * connection's local port. Another program picking the same port in the same instant is still possible; starting
 * from a random point of the range makes that unlikely, and the node's bind would then fail loudly.
 */
public final class LoopbackPorts {
  /** Lowest port handed out: above the well-known and most registered service ports. */
  static final int LOWEST = 10_000;
  /** Room kept below the ephemeral range: JGroups' FD_SOCK2 listens at the member's port + 100 (plus its range). */
  static final int HEADROOM = 200;
  /** Linux's default ephemeral range, assumed where the system does not say (macOS and Windows start above it). */
  static final int[] DEFAULT_EPHEMERAL = {32_768, 60_999};
  private static final Path LINUX_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private LoopbackPorts() {}

  /**
   * {@code n} distinct ports free on 127.0.0.1 a moment ago, none in the ephemeral range. They are bound all at once
   * (so they differ) and released before this returns.
   *
   * @throws IllegalArgumentException if {@code n} is not positive
   * @throws IllegalStateException if fewer than {@code n} ports below the ephemeral range are free
   */
  public static List<Integer> free(int n) {
    return free(n, ephemeralRange(LINUX_RANGE), new SplittableRandom());
  }

  /** {@link #free(int)} against the given ephemeral range {@code [low, high]}, starting at a point {@code random} draws. */
  static List<Integer> free(int n, int[] ephemeral, RandomGenerator random) {
    if (n <= 0) {
      throw new IllegalArgumentException("number of ports must be positive: " + n);
    }
    int end = ephemeral[0] - HEADROOM; // exclusive
    int span = end - LOWEST;
    if (span < n) {
      throw new IllegalStateException("no room for " + n + " ports between " + LOWEST + " and the ephemeral range "
          + ephemeral[0] + "-" + ephemeral[1]);
    }
    List<ServerSocket> held = new ArrayList<>(n);
    try {
      int start = random.nextInt(span);
      for (int i = 0; i < span && held.size() < n; i++) {
        int port = LOWEST + (start + i) % span;
        ServerSocket socket = tryBind(port);
        if (socket != null) {
          held.add(socket);
        }
      }
      if (held.size() < n) {
        throw new IllegalStateException("only " + held.size() + " of " + n + " ports free on " + LOOPBACK
            + " between " + LOWEST + " and " + end);
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      held.forEach(LoopbackPorts::closeQuietly);
    }
  }

  /**
   * The ephemeral range {@code [low, high]} from Linux's {@code ip_local_port_range} file, or {@link
   * #DEFAULT_EPHEMERAL} when the file is missing or unreadable.
   */
  static int[] ephemeralRange(Path rangeFile) {
    if (!Files.isReadable(rangeFile)) {
      return DEFAULT_EPHEMERAL.clone();
    }
    try {
      String[] fields = Files.readString(rangeFile).trim().split("\\s+");
      int low = Integer.parseInt(fields[0]);
      int high = Integer.parseInt(fields[1]);
      return low > 0 && low <= high && high <= 65_535 ? new int[] {low, high} : DEFAULT_EPHEMERAL.clone();
    } catch (IOException | RuntimeException unreadable) {
      // Only a hint for choosing ports: a file in an unexpected shape means the usual range.
      return DEFAULT_EPHEMERAL.clone();
    }
  }

  private static ServerSocket tryBind(int port) {
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
      return socket;
    } catch (IOException taken) {
      if (socket != null) {
        closeQuietly(socket);
      }
      return null;
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // A listening socket that accepted nothing: closing it does not fail in practice, and nothing could be done.
    }
  }
}
