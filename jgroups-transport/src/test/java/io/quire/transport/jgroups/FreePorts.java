package io.quire.transport.jgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1, found by binding port 0, so that parallel test runs never pick the same ports. */
final class FreePorts {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private FreePorts() {}

  /**
   * {@code n} distinct ports that were free a moment ago. All sockets are open at once (so the ports differ) and
   * closed before this returns; another process could take one meanwhile, which would fail that test's bind loudly.
   */
  static List<Integer> loopback(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, LOOPBACK));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find " + n + " free ports on " + LOOPBACK, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that accepted nothing does not fail in practice; nothing to do if it does.
        }
      }
    }
  }
}
