package io.quire.benchmarks;

import io.quire.core.NodeId;
import io.quire.jcache.QuireCachingProvider;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.View;
import io.quire.transport.jgroups.JGroupsTransport;
import io.quire.transport.jgroups.JGroupsTransportFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;

/**
 * The second JVM of {@link TwoNodeBench}: started by the benchmark's fork with the same {@code java} and class path,
 * it runs one cluster member on 127.0.0.1 and then obeys a control connection, also on 127.0.0.1, from that fork.
 *
 * <pre>
 *   TwoNodePeer quire     CONTROL_PORT PARENT_PID DESCRIPTOR            a Quire node from a descriptor file
 *   TwoNodePeer hazelcast CONTROL_PORT PARENT_PID CLUSTER PORT PEER_PORT  a Hazelcast member joining PEER_PORT
 *   TwoNodePeer echo      CONTROL_PORT PARENT_PID CLUSTER PORT PEER_PORT  a JGroupsTransport answering 4096 bytes
 * </pre>
 *
 * <p>The control port is opened only once the member is up, so a connection that succeeds means "started". Each
 * request is one op byte and two ints; the answer is {@link #OK}, or {@link #FAILED} and a message. The process ends
 * when the control connection closes, when its parent process ends (so a fork killed with SIGKILL leaves no peer
 * behind), or when the fork kills it by pid, which is what the benchmark's tear-down and shutdown hook do.
 */
public final class TwoNodePeer {
  /** Puts keys {@code 0..a-1}: each a {@link TwoNodeBench#value} in the bytes cache and a 0 in the counters cache. */
  static final byte PRELOAD = 1;
  /** Puts value number {@code b} under key {@code a} in the bytes cache. */
  static final byte PUT_BYTES = 2;
  /** Puts {@code b} under key {@code a} in the counters cache. */
  static final byte PUT_COUNTER = 3;
  static final byte OK = 0;
  static final byte FAILED = 1;
  static final int ECHO_RESPONSE_BYTES = 4096;
  static final NodeId ECHO_REQUESTER = new NodeId(0xA1);
  static final NodeId ECHO_RESPONDER = new NodeId(0xB2);

  private TwoNodePeer() {}

  /** Entry point of the peer process; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int controlPort = Integer.parseInt(args[1]);
    long parentPid = Long.parseLong(args[2]);
    ProcessHandle.of(parentPid).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
        () -> Runtime.getRuntime().halt(3));

    Caches caches;
    switch (mode) {
      case "quire" -> caches = quire(Path.of(args[3]));
      case "hazelcast" -> caches = hazelcast(args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      case "echo" -> caches = echo(args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException("unknown mode " + mode + " (quire, hazelcast or echo)");
    }
    serve(controlPort, caches);
    // The fork closed the connection: it is done with this peer. halt, not exit: no leave, no hand-over; the fork's
    // node has already left, or is going away too.
    Runtime.getRuntime().halt(0);
  }

  /** The two caches the control requests write to, opened on first use (a Hazelcast cache exists only once created). */
  private interface Caches {
    Cache<String, byte[]> bytes();

    Cache<String, Integer> counters();
  }

  /** The benchmark's two caches in {@code manager}, whichever provider made it. */
  private static Caches caches(CacheManager manager) {
    return new Caches() {
      @Override
      public Cache<String, byte[]> bytes() {
        return manager.getCache(TwoNodeBench.BYTES_CACHE);
      }

      @Override
      public Cache<String, Integer> counters() {
        return manager.getCache(TwoNodeBench.COUNTERS_CACHE);
      }
    };
  }

  private static Caches quire(Path descriptor) {
    CacheManager manager = new QuireCachingProvider().getCacheManager(descriptor.toUri(),
        TwoNodePeer.class.getClassLoader());
    return caches(manager);
  }

  private static Caches hazelcast(String cluster, int port, int peerPort) {
    HazelcastMember member = HazelcastMember.startClustered(cluster, cluster + "-peer", port, List.of(peerPort, port));
    CachingProvider provider = Caching.getCachingProvider(JCacheBench.providerClass("hazelcast"));
    CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), TwoNodePeer.class.getClassLoader(),
        member.managerProperties());
    return caches(manager);
  }

  /** A transport that answers every request with 4096 bytes; it has no caches (a cache request fails). */
  private static Caches echo(String cluster, int port, int peerPort) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    JGroupsTransport responder = JGroupsTransportFactory.builder().clusterName(cluster)
        .stack(JGroupsTransportFactory.LOOPBACK_STACK)
        .property("TCP", "tcp_nodelay", TwoNodeBench.tcpNoDelay())
        .bindAddress(loopback).bindPort(port)
        .initialMembers(List.of(new InetSocketAddress(loopback, peerPort), new InetSocketAddress(loopback, port)))
        .build().create(ECHO_RESPONDER);
    ByteBuffer response = ByteBuffer.wrap(Keys.fullPage(ECHO_RESPONSE_BYTES, 2)).asReadOnlyBuffer();
    responder.start(new Receiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {}

      @Override
      public void onRequest(NodeId from, ByteBuffer frame, Responder reply) {
        reply.reply(response);
      }

      @Override
      public void onView(View view) {}
    });
    return null;
  }

  private static void serve(int port, Caches caches) throws IOException {
    try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        Socket socket = server.accept()) {
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      byte[][] values = TwoNodeBench.values();
      while (true) {
        byte op;
        try {
          op = in.readByte();
        } catch (EOFException closed) {
          return;
        }
        int a = in.readInt();
        int b = in.readInt();
        try {
          switch (op) {
            case PRELOAD -> {
              Cache<String, byte[]> bytes = caches.bytes();
              Cache<String, Integer> counters = caches.counters();
              for (int i = 0; i < a; i++) {
                bytes.put(TwoNodeBench.key(i), values[i & TwoNodeBench.VALUE_MASK]);
                counters.put(TwoNodeBench.key(i), 0);
              }
            }
            case PUT_BYTES -> caches.bytes().put(TwoNodeBench.key(a), values[b & TwoNodeBench.VALUE_MASK]);
            case PUT_COUNTER -> caches.counters().put(TwoNodeBench.key(a), b);
            default -> throw new IllegalArgumentException("unknown op " + op);
          }
          out.writeByte(OK);
        } catch (RuntimeException e) {
          out.writeByte(FAILED);
          out.writeUTF(String.valueOf(e));
        }
        out.flush();
      }
    }
  }
}
