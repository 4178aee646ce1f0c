package io.quire.benchmarks;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.core.HazelcastInstance;
import io.quire.jcache.GridMetrics;
import io.quire.jcache.QuireCacheManager;
import io.quire.jcache.QuireCachingProvider;
import io.quire.transport.jgroups.JGroupsTransport;
import io.quire.transport.jgroups.JGroupsTransportFactory;
import io.quire.transport.jgroups.LoopbackPorts;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import javax.cache.spi.CachingProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two cluster members in two JVMs on 127.0.0.1, measured from one of them (this fork); the other is a
 * {@link TwoNodePeer} process the trial starts, and writes keys when asked over a control connection. Parameter
 * {@code provider}: {@code quire} (two Quire nodes over JGroups, k = 2, from the same descriptor with the same two
 * caches) or {@code hazelcast} (two Hazelcast members, caches with one synchronous backup, and only keys whose
 * partition the other member owns). Both through {@code javax.cache} only, on {@value #KEYS} {@code String} keys
 * preloaded by the other node: a {@code bytes} cache of 100-byte values and a {@code counters} cache of
 * {@code Integer}s.
 *
 * <ul>
 *   <li>{@code getValidCopy}: gets of keys this node has read and nobody writes (Quire: a read copy in local RAM;
 *       Hazelcast: a remote get each time).
 *   <li>{@code getReadMiss}: a get of a key the other node wrote just before (an invocation fixture, not timed, asks
 *       the peer to put it and waits until the put returned, so Quire's local copy has been invalidated).
 *   <li>{@code put}, {@code invoke}: a put, an increment {@code EntryProcessor}, of a key the other node wrote just
 *       before (the same untimed fixture): a write where the other node wrote last.
 *   <li>{@code putSameKeysFromOneNode}: this node alone keeps writing the same {@value #HOT_KEYS} keys (Quire should
 *       migrate their pages to it).
 *   <li>{@code mix90Get10Put}: two threads on this node, each nine gets then one put; nothing from the other node.
 *   <li>{@code jgroupsRoundTrip}: no caches: a 64-byte request answered with 4096 bytes between Quire's
 *       {@link JGroupsTransport} here and one in a peer JVM (the loopback stack), the floor of a read miss.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TwoNodeBench {
  static final int KEYS = 256;
  static final int MASK = KEYS - 1;
  static final int HOT_KEYS = 16;
  static final int VALUES = 16;
  static final int VALUE_MASK = VALUES - 1;
  static final String BYTES_CACHE = "bytes";
  static final String COUNTERS_CACHE = "counters";
  /** Bounds the wait for a two-member view. */
  static final long VIEW_SECONDS = 60;

  /**
   * System property: {@code false} turns JGroups' {@code tcp_nodelay} off in both JVMs (the shipped stacks turn it on;
   * off, Nagle's algorithm and delayed ACKs held each small frame about 40 ms); pass it to the fork with
   * {@code -jvmArgsAppend -Dquire.bench.tcpNoDelay=false} to measure what the stacks cost before.
   */
  static final String TCP_NO_DELAY = "quire.bench.tcpNoDelay";

  /** The {@code tcp_nodelay} value both JVMs use: the property's, {@code true} (the stacks' own) without it. */
  static String tcpNoDelay() {
    return Boolean.toString(Boolean.parseBoolean(System.getProperty(TCP_NO_DELAY, "true")));
  }

  static String key(int i) {
    return JCacheBench.key(i);
  }

  /** The {@value #VALUES} 100-byte values both JVMs write, numbered. */
  static byte[][] values() {
    byte[][] values = new byte[VALUES][];
    for (int i = 0; i < VALUES; i++) {
      values[i] = JCacheBench.bytesValue(i);
    }
    return values;
  }

  /** The two members and this node's caches. */
  @State(Scope.Benchmark)
  public static class Cluster {
    @Param({"quire", "hazelcast"})
    String provider;

    Path dir;
    PeerProcess peer;
    CachingProvider cachingProvider;
    CacheManager manager;
    HazelcastMember hazelcast;
    Cache<String, byte[]> bytes;
    Cache<String, Integer> counters;
    /** By position in the read order: the key's number (what the peer is told) and a fresh copy of its string. */
    int[] keyNumbers;
    String[] reads;
    byte[][] values;
    GridMetrics before;
    final AtomicInteger peerWrites = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
      dir = TempDirs.create("two-node");
      values = values();
      List<Integer> ports = LoopbackPorts.free(3); // this member, the peer's member, the peer's control port
      String cluster = "quire-bench-" + UUID.randomUUID();
      int[] numbers;
      if (provider.equals("quire")) {
        Path peerDescriptor = descriptor("peer", cluster, ports.get(1), ports);
        Path ownDescriptor = descriptor("local", cluster, ports.get(0), ports);
        // The peer first, alone: this node then joins its cluster and finds the two caches in its catalog.
        peer = PeerProcess.start("quire", ports.get(2), dir.resolve("peer.log"), peerDescriptor.toString());
        QuireCachingProvider quire = new QuireCachingProvider();
        cachingProvider = quire;
        QuireCacheManager quireManager = (QuireCacheManager) quire.getCacheManager(ownDescriptor.toUri(),
            getClass().getClassLoader());
        manager = quireManager;
        await("a two-member view on the Quire node", () -> quireManager.gridMetrics().members() == 2);
        bytes = manager.getCache(BYTES_CACHE);
        counters = manager.getCache(COUNTERS_CACHE);
        numbers = new int[KEYS];
        Arrays.setAll(numbers, i -> i);
      } else {
        peer = PeerProcess.start("hazelcast", ports.get(2), dir.resolve("peer.log"), cluster,
            Integer.toString(ports.get(1)), Integer.toString(ports.get(0)));
        hazelcast = HazelcastMember.startClustered(cluster, cluster + "-local", ports.get(0), List.of(ports.get(1),
            ports.get(0)));
        HazelcastInstance instance = hazelcast.instance();
        await("a two-member, migration-free Hazelcast cluster", () -> hazelcast.clusterSize() == 2
            && instance.getPartitionService().isClusterSafe());
        cachingProvider = Caching.getCachingProvider(JCacheBench.providerClass("hazelcast"));
        manager = cachingProvider.getCacheManager(cachingProvider.getDefaultURI(), getClass().getClassLoader(),
            hazelcast.managerProperties());
        bytes = manager.createCache(BYTES_CACHE, new CacheConfig<String, byte[]>().setBackupCount(1)
            .setTypes(String.class, byte[].class));
        counters = manager.createCache(COUNTERS_CACHE, new CacheConfig<String, Integer>().setBackupCount(1)
            .setTypes(String.class, Integer.class));
        numbers = ownedByThePeer(instance);
      }
      peer.request(TwoNodePeer.PRELOAD, numbers[numbers.length - 1] + 1, 0);

      int[] order = FloorsBench.shuffledIndexes(KEYS, 42);
      keyNumbers = new int[KEYS];
      reads = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keyNumbers[i] = numbers[order[i]];
        reads[i] = new String(key(keyNumbers[i]));
      }
      // Every key reads back as the peer wrote it (and Quire now holds a read copy of every page), and a key the
      // peer writes again reads back new here: the read-miss path works before anything is timed.
      for (int i = 0; i < KEYS; i++) {
        byte[] value = bytes.get(reads[i]);
        if (value == null || !Arrays.equals(value, values[keyNumbers[i] & VALUE_MASK])) {
          throw new IllegalStateException(provider + ": key " + reads[i] + " does not read back as the peer wrote it");
        }
        if (!Integer.valueOf(0).equals(counters.get(reads[i]))) {
          throw new IllegalStateException(provider + ": counter " + reads[i] + " is " + counters.get(reads[i]));
        }
      }
      for (int i = 0; i < HOT_KEYS; i++) {
        int v = (keyNumbers[i] + 1) & VALUE_MASK;
        peer.request(TwoNodePeer.PUT_BYTES, keyNumbers[i], v);
        if (!Arrays.equals(bytes.get(reads[i]), values[v])) {
          throw new IllegalStateException(provider + ": key " + reads[i] + " still reads its old value here after"
              + " the peer wrote it");
        }
      }
      before = metrics();
    }

    /** Fresh key numbers (of 2 * KEYS + 1024 candidates) whose partition the other member owns, KEYS of them. */
    private static int[] ownedByThePeer(HazelcastInstance instance) {
      Member local = instance.getCluster().getLocalMember();
      int[] numbers = new int[KEYS];
      int found = 0;
      for (int i = 0; i < 2 * KEYS + 1024 && found < KEYS; i++) {
        Member owner = instance.getPartitionService().getPartition(key(i)).getOwner();
        if (owner != null && !owner.equals(local)) {
          numbers[found++] = i;
        }
      }
      if (found < KEYS) {
        throw new IllegalStateException("only " + found + " candidate keys are owned by the other member");
      }
      return numbers;
    }

    private Path descriptor(String name, String cluster, int port, List<Integer> ports) throws IOException {
      Path file = dir.resolve(name + ".xml");
      Files.writeString(file, """
          <?xml version="1.0" encoding="UTF-8"?>
          <quire xmlns="urn:io.quire:cache:1.0">
            <node name="%s" data-directory="%s" transport="jgroups" cluster="%s" replication="2"
                  stack="%s" bind-address="127.0.0.1" port="%d"
                  initial-members="127.0.0.1:%d,127.0.0.1:%d"/>
            <cache name="%s" key-type="java.lang.String"/>
            <cache name="%s" key-type="java.lang.String" value-type="java.lang.Integer"/>
          </quire>
          """.formatted(name, dir.resolve("data-" + name), cluster, stack(), port, ports.get(0), ports.get(1), BYTES_CACHE,
          COUNTERS_CACHE));
      return file;
    }

    /**
     * The loopback stack, or with {@value #TCP_NO_DELAY} {@code false}, a copy of it with JGroups' {@code tcp_nodelay}
     * off (as the stacks shipped before): the experiment behind the README's note on where a read miss's time went.
     */
    private String stack() throws IOException {
      if (tcpNoDelay().equals("true")) {
        return JGroupsTransportFactory.LOOPBACK_STACK;
      }
      Path file = dir.resolve("stack.xml");
      try (var in = TwoNodeBench.class.getClassLoader().getResourceAsStream(JGroupsTransportFactory.LOOPBACK_STACK)) {
        String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (!xml.contains("tcp_nodelay=\"true\"")) {
          throw new IllegalStateException("no tcp_nodelay=\"true\" in " + JGroupsTransportFactory.LOOPBACK_STACK);
        }
        Files.writeString(file, xml.replace("tcp_nodelay=\"true\"", "tcp_nodelay=\"false\""));
      }
      return file.toString();
    }

    private GridMetrics metrics() {
      return manager instanceof QuireCacheManager q ? q.gridMetrics() : null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        GridMetrics after = metrics();
        if (after != null && before != null) {
          // GridMetrics counts messages this node sent, retransmissions included: a read request per read miss, an
          // invalidation per copy it invalidated as owner, an ownership grant per page it handed to the peer.
          System.out.printf("%n[two-node quire] this node sent, during warmup and measurement: %d read requests,"
              + " %d invalidations, %d ownership grants, %d messages in all; the peer wrote %d times%n",
              after.readMisses() - before.readMisses(), after.invalidations() - before.invalidations(),
              after.migrations() - before.migrations(), after.messagesSent() - before.messagesSent(),
              peerWrites.get());
        }
        if (cachingProvider != null) {
          cachingProvider.close(); // Quire: this node leaves (hands its pages to the peer) while the peer still runs
        }
        if (hazelcast != null) {
          hazelcast.shutdown();
        }
      } finally {
        if (peer != null) {
          peer.close();
        }
        TempDirs.delete(dir);
      }
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VIEW_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + VIEW_SECONDS + " s");
      }
      Thread.sleep(20);
    }
  }

  /** Per-thread position in the read order; each thread starts at a different place. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    int index = THREADS.getAndIncrement() * (KEYS / 2 + 17);
    int op;

    int next() {
      return index++ & MASK;
    }

    /** True on one call in ten: the put of the 90/10 mix. */
    boolean putTurn() {
      if (++op == 10) {
        op = 0;
        return true;
      }
      return false;
    }
  }

  /**
   * The next key in the read order, which the peer has just put (untimed: JMH runs this before each call and keeps
   * it out of the score). Values cycle so that each write changes the entry.
   */
  @State(Scope.Thread)
  public static class WrittenByThePeer {
    int position;
    int writes;

    @Setup(Level.Invocation)
    public void peerWrites(Cluster c) {
      position = writes++ & MASK;
      c.peer.request(TwoNodePeer.PUT_BYTES, c.keyNumbers[position], writes);
      c.peerWrites.incrementAndGet();
    }
  }

  /** As {@link WrittenByThePeer}, for the counters: the peer puts a counter value before each call. */
  @State(Scope.Thread)
  public static class CounterWrittenByThePeer {
    int position;
    int writes;

    @Setup(Level.Invocation)
    public void peerWrites(Cluster c) {
      position = writes++ & MASK;
      c.peer.request(TwoNodePeer.PUT_COUNTER, c.keyNumbers[position], writes);
      c.peerWrites.incrementAndGet();
    }
  }

  /** Adds one to the counter and returns the new count; serializable, since Hazelcast runs it on the key's owner. */
  static final class Increment implements EntryProcessor<String, Integer, Integer>, Serializable {
    static final Increment INSTANCE = new Increment();
    private static final long serialVersionUID = 1L;

    @Override
    public Integer process(MutableEntry<String, Integer> entry, Object... arguments) {
      Integer next = entry.getValue() + 1;
      entry.setValue(next);
      return next;
    }
  }

  /** A Quire {@link JGroupsTransport} here and one in a peer JVM that answers every request with 4096 bytes. */
  @State(Scope.Benchmark)
  public static class EchoPeer {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    Path dir;
    PeerProcess peer;
    JGroupsTransport requester;
    ByteBuffer request;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
      dir = TempDirs.create("two-jvm-echo");
      List<Integer> ports = LoopbackPorts.free(3);
      String cluster = "quire-bench-" + UUID.randomUUID();
      peer = PeerProcess.start("echo", ports.get(2), dir.resolve("peer.log"), cluster, Integer.toString(ports.get(1)),
          Integer.toString(ports.get(0)));
      InetAddress loopback = InetAddress.getLoopbackAddress();
      requester = JGroupsTransportFactory.builder().clusterName(cluster).stack(JGroupsTransportFactory.LOOPBACK_STACK)
          .property("TCP", "tcp_nodelay", tcpNoDelay())
          .bindAddress(loopback).bindPort(ports.get(0)).initialMembers(List.of(
              new InetSocketAddress(loopback, ports.get(1)), new InetSocketAddress(loopback, ports.get(0))))
          .build().create(TwoNodePeer.ECHO_REQUESTER);
      requester.start(new io.quire.spi.transport.Receiver() {
        @Override
        public void onMessage(io.quire.core.NodeId from, ByteBuffer frame) {}

        @Override
        public void onRequest(io.quire.core.NodeId from, ByteBuffer frame, io.quire.spi.transport.Responder r) {}

        @Override
        public void onView(io.quire.spi.transport.View view) {}
      });
      await("a two-member JGroups view with the echo peer", () -> requester.currentView().size() == 2);
      request = ByteBuffer.wrap(Keys.fullPage(FloorsBench.REQUEST_BYTES, 1)).asReadOnlyBuffer();
      ByteBuffer answer = roundTrip();
      if (answer.remaining() != TwoNodePeer.ECHO_RESPONSE_BYTES || answer.get(answer.position()) != 1) {
        throw new IllegalStateException("wrong response from the echo peer: " + answer);
      }
    }

    ByteBuffer roundTrip() {
      return requester.request(TwoNodePeer.ECHO_RESPONDER, request, TIMEOUT).join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        if (requester != null) {
          requester.close();
        }
      } finally {
        if (peer != null) {
          peer.close();
        }
        TempDirs.delete(dir);
      }
    }
  }

  @Benchmark
  public byte[] getValidCopy(Cluster c, Cursor cursor) {
    return c.bytes.get(c.reads[cursor.next()]);
  }

  @Benchmark
  public byte[] getReadMiss(Cluster c, WrittenByThePeer w) {
    return c.bytes.get(c.reads[w.position]);
  }

  @Benchmark
  public int put(Cluster c, WrittenByThePeer w) {
    c.bytes.put(c.reads[w.position], c.values[(w.writes + 7) & VALUE_MASK]);
    return w.position;
  }

  @Benchmark
  public Integer invoke(Cluster c, CounterWrittenByThePeer w) {
    return c.counters.invoke(c.reads[w.position], Increment.INSTANCE);
  }

  @Benchmark
  public int putSameKeysFromOneNode(Cluster c, Cursor cursor) {
    int i = cursor.next();
    c.bytes.put(c.reads[i & (HOT_KEYS - 1)], c.values[(i >>> 4) & VALUE_MASK]); // each write changes the entry
    return i;
  }

  @Benchmark
  @Threads(2)
  public Object mix90Get10Put(Cluster c, Cursor cursor) {
    int i = cursor.next();
    if (cursor.putTurn()) {
      c.bytes.put(c.reads[i], c.values[i & VALUE_MASK]);
      return c;
    }
    return c.bytes.get(c.reads[i]);
  }

  @Benchmark
  public ByteBuffer jgroupsRoundTrip(EchoPeer e) {
    return e.roundTrip();
  }
}
