package io.quire.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.jcache.serial.KryoSerializerFactory;
import io.quire.spi.serial.SerializerSettings;
import io.quire.spi.serial.ValueSerializer;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.View;
import io.quire.transport.jgroups.JGroupsTransport;
import io.quire.transport.jgroups.JGroupsTransportFactory;
import io.quire.transport.jgroups.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;
import org.mapdb.SortedTableMap;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.Volume;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floors under Quire's layers, measured without any JCache layer, so that run.sh can say how far each Quire
 * operation sits above the cheapest thing it is built from, in the same run:
 *
 * <ul>
 *   <li>{@code caffeineGet}: a raw Caffeine {@code getIfPresent} of the {@link JCacheBench} keys (same strings,
 *       same shuffled order, 100-byte values), no copy: the floor of any on-heap JCache get.
 *   <li>{@code kryoRoundTripItem}: serialise and deserialise the {@link Item} of {@link JCacheBench} through Quire's
 *       own {@code KryoValueSerializer} with the settings a Quire cache gets ({@code io.quire.benchmarks.*} on the
 *       allow-list, so the class travels by name); {@code kryoRoundTripItemRegistered} the same with {@code Item}
 *       registered (an id instead of the name). A Quire put pays the first half, a get the second.
 *   <li>{@code mapdbPageGet}: a 4 KiB page record from a MapDB {@code SortedTableMap} built and opened the way the
 *       disk tier's page files are ({@code PageFile}: 16-byte big-endian address keys, 4 entries per node, a
 *       read-only {@code FileChannelVol}); {@code mapdbHTreeGet}/{@code mapdbHTreePut}: a file-backed MapDB
 *       {@code HTreeMap<Long, byte[4096]>} (file channel, no transactions, no memory mapping, as grid-core avoids
 *       mapping too). All over 1024 pages, in the OS page cache.
 *   <li>{@code tcpRoundTrip}: a 64-byte request and a {@code responseBytes} response over one TCP connection on
 *       127.0.0.1 (TCP_NODELAY, blocking streams) between the benchmark thread and an echo thread.
 *   <li>{@code jgroupsRoundTrip}: the same request and response between two of Quire's {@link JGroupsTransport}s on
 *       the loopback stack ({@code quire-tcp-loopback.xml}), through {@code Transport.request} and the receiver's
 *       {@code Responder}: what a read miss on a cluster pays for its network leg (the response of 4096 bytes
 *       stands for the page it fetches); {@code jchannelRoundTrip}: the same over two raw {@code JChannel}s on that
 *       stack, which separates JGroups' own cost from the transport's (envelope, inbox thread, request table).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class FloorsBench {
  static final int PAGE_BYTES = 4096;
  static final int PAGES = 1024;
  static final int PAGE_MASK = PAGES - 1;
  static final int REQUEST_BYTES = 64;

  /** Per-thread position in a shuffled order. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    int next() {
      return index++;
    }
  }

  /** A raw Caffeine cache with {@link JCacheBench}'s byte[] entries and read order. */
  @State(Scope.Benchmark)
  public static class CaffeineFloor {
    Cache<String, byte[]> cache;
    String[] reads;

    @Setup(Level.Trial)
    public void setUp() {
      cache = Caffeine.newBuilder().executor(Runnable::run).build();
      String[] keys = new String[JCacheBench.KEYS];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = JCacheBench.key(i);
        cache.put(keys[i], JCacheBench.bytesValue(i));
      }
      reads = JCacheBench.shuffledCopies(keys, 42);
      for (String key : reads) {
        if (cache.getIfPresent(key) == null) {
          throw new IllegalStateException("caffeine lost " + key);
        }
      }
    }
  }

  /** Quire's Kryo serializer, by name (as a cache's allow-list gives it) and with {@link Item} registered. */
  @State(Scope.Benchmark)
  public static class KryoFloor {
    static final int ITEMS = 16;

    ValueSerializer byName;
    ValueSerializer registered;
    ClassLoader loader;
    Item[] items;

    @Setup(Level.Trial)
    public void setUp() {
      loader = FloorsBench.class.getClassLoader();
      KryoSerializerFactory factory = new KryoSerializerFactory();
      byName = factory.create(SerializerSettings.defaults().withAllowed(JCacheBench.ALLOW_BENCHMARK_CLASSES), loader);
      registered = factory.create(new SerializerSettings(List.of(),
          Map.of(Item.class.getName(), SerializerSettings.FIRST_USER_ID), false), loader);
      items = new Item[ITEMS];
      for (int i = 0; i < ITEMS; i++) {
        items[i] = JCacheBench.item(i);
        for (ValueSerializer serializer : List.of(byName, registered)) {
          if (!items[i].equals(roundTrip(serializer, items[i]))) {
            throw new IllegalStateException(serializer + " changed " + items[i]);
          }
        }
      }
    }

    Object roundTrip(ValueSerializer serializer, Item item) {
      byte[] bytes = serializer.serialize(item);
      return serializer.deserialize(bytes, 0, bytes.length, loader);
    }
  }

  /** MapDB over 1024 pages of 4 KiB: a page file as the disk tier builds it, and a file-backed HTreeMap. */
  @State(Scope.Benchmark)
  public static class MapDbFloor {
    static final int PUT_VALUES = 16;

    Path dir;
    Volume tableVolume;
    SortedTableMap<byte[], byte[]> table;
    DB db;
    HTreeMap<Long, byte[]> htree;
    byte[][] tableKeys;
    long[] htreeKeys;
    byte[][] putValues;

    @Setup(Level.Trial)
    public void setUp() {
      dir = TempDirs.create("floors-mapdb");
      int[] order = shuffledIndexes(PAGES, 7);
      // Page file: addresses of one range's pages (4 KiB apart), each record a small header plus the page.
      TreeMap<GlobalAddress, byte[]> pages = new TreeMap<>();
      for (int i = 0; i < PAGES; i++) {
        pages.put(new GlobalAddress(1, (long) i * PAGE_BYTES), Keys.fullPage(RECORD_HEADER_BYTES + PAGE_BYTES, i));
      }
      Path file = dir.resolve("pages-1.db");
      buildTable(file, pages);
      tableVolume = new FileChannelVol(file.toFile(), true, -1L, 20, 0L);
      table = SortedTableMap.open(tableVolume, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY);
      GlobalAddress[] addresses = pages.keySet().toArray(GlobalAddress[]::new);
      tableKeys = new byte[PAGES][];
      for (int i = 0; i < PAGES; i++) {
        tableKeys[i] = addresses[order[i]].toBytes();
      }

      db = DBMaker.fileDB(dir.resolve("htree.db").toFile()).fileChannelEnable().make();
      htree = db.hashMap("pages", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
      htreeKeys = new long[PAGES];
      for (int i = 0; i < PAGES; i++) {
        htree.put((long) i, Keys.fullPage(PAGE_BYTES, i));
        htreeKeys[i] = order[i];
      }
      putValues = new byte[PUT_VALUES][];
      for (int i = 0; i < PUT_VALUES; i++) {
        putValues[i] = Keys.fullPage(PAGE_BYTES, PAGES + i);
      }
      for (int i = 0; i < PAGES; i++) {
        byte[] record = table.get(tableKeys[i]);
        if (record == null || record.length != RECORD_HEADER_BYTES + PAGE_BYTES) {
          throw new IllegalStateException("page file lost page " + i);
        }
        byte[] page = htree.get(htreeKeys[i]);
        if (page == null || !Arrays.equals(page, Keys.fullPage(PAGE_BYTES, (int) htreeKeys[i]))) {
          throw new IllegalStateException("HTreeMap lost page " + htreeKeys[i]);
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      table.close();
      tableVolume.close();
      db.close();
      TempDirs.delete(dir);
    }
  }

  // As grid-core's disk tier (io.quire.store.disk.PageFile and PageRecordCodec, package-private there): a record is a
  // 18-byte header and the page; a node holds 4 records; the table page is sized to hold a few nodes.
  static final int RECORD_HEADER_BYTES = 1 + 1 + Long.BYTES + Integer.BYTES + Integer.BYTES;
  static final int NODE_SIZE = 4;

  static void buildTable(Path file, TreeMap<GlobalAddress, byte[]> pages) {
    long longestNode = NODE_SIZE * (long) (GlobalAddress.BYTES + 5)
        + NODE_SIZE * (long) (RECORD_HEADER_BYTES + PAGE_BYTES + 5) + 16;
    long tablePage = Math.max(64 * 1024, Long.highestOneBit(4 * longestNode - 1) << 1);
    Volume volume = new FileChannelVol(file.toFile(), false, -1L, Long.numberOfTrailingZeros(tablePage), 0L);
    try {
      SortedTableMap.Sink<byte[], byte[]> sink = SortedTableMap.create(volume, Serializer.BYTE_ARRAY,
          Serializer.BYTE_ARRAY).pageSize(tablePage).nodeSize(NODE_SIZE).createFromSink();
      Iterator<Map.Entry<GlobalAddress, byte[]>> entries = pages.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<GlobalAddress, byte[]> entry = entries.next();
        sink.put(entry.getKey().toBytes(), entry.getValue());
      }
      sink.create();
    } finally {
      volume.close();
    }
  }

  /** One TCP connection on 127.0.0.1 and a thread that answers each request. */
  @State(Scope.Benchmark)
  public static class TcpFloor {
    @Param({"64", "4096"})
    int responseBytes;

    ServerSocket server;
    Socket client;
    InputStream in;
    OutputStream out;
    Thread echo;
    byte[] request;
    byte[] response;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      echo = new Thread(() -> serve(server, responseBytes), "tcp-floor-echo");
      echo.setDaemon(true);
      echo.start();
      client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      client.setTcpNoDelay(true);
      in = client.getInputStream();
      out = client.getOutputStream();
      request = Keys.fullPage(REQUEST_BYTES, 1);
      response = new byte[responseBytes];
      roundTrip();
      if (response[0] != 1) {
        throw new IllegalStateException("the echo thread answered " + response[0]);
      }
    }

    byte[] roundTrip() throws IOException {
      out.write(request);
      readFully(in, response);
      return response;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
      client.close(); // the echo thread reads end of stream and returns
      echo.join(5_000);
      server.close();
    }

    private static void serve(ServerSocket server, int responseBytes) {
      try (Socket socket = server.accept()) {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] request = new byte[REQUEST_BYTES];
        byte[] response = Keys.fullPage(responseBytes, 2);
        while (readFully(in, request)) {
          out.write(response);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** False at end of stream before the first byte. */
    private static boolean readFully(InputStream in, byte[] into) throws IOException {
      int read = 0;
      while (read < into.length) {
        int n = in.read(into, read, into.length - read);
        if (n < 0) {
          if (read == 0) {
            return false;
          }
          throw new IOException("connection closed inside a message");
        }
        read += n;
      }
      return true;
    }
  }

  /** Two of Quire's JGroups transports on 127.0.0.1 (loopback stack); the second answers every request. */
  @State(Scope.Benchmark)
  public static class JGroupsFloor {
    static final NodeId REQUESTER = new NodeId(0xA1);
    static final NodeId RESPONDER = new NodeId(0xB2);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Param({"64", "4096"})
    int responseBytes;

    JGroupsTransport requester;
    JGroupsTransport responder;
    ByteBuffer request;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      List<Integer> ports = LoopbackPorts.free(2);
      String cluster = "quire-bench-" + UUID.randomUUID();
      List<InetSocketAddress> members = ports.stream().map(p -> new InetSocketAddress(loopback, p)).toList();
      requester = factory(cluster, loopback, ports.get(0), members).create(REQUESTER);
      responder = factory(cluster, loopback, ports.get(1), members).create(RESPONDER);
      ByteBuffer response = ByteBuffer.wrap(Keys.fullPage(responseBytes, 2)).asReadOnlyBuffer();
      requester.start(new Answering(null));
      responder.start(new Answering(response));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (requester.currentView().size() < 2 || responder.currentView().size() < 2) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no two-member view: " + requester.currentView() + ", "
              + responder.currentView());
        }
        Thread.sleep(10);
      }
      request = ByteBuffer.wrap(Keys.fullPage(REQUEST_BYTES, 1)).asReadOnlyBuffer();
      ByteBuffer answer = roundTrip();
      if (answer.remaining() != responseBytes || answer.get(answer.position()) != 1) {
        throw new IllegalStateException("wrong response: " + answer);
      }
    }

    ByteBuffer roundTrip() {
      return requester.request(RESPONDER, request, TIMEOUT).join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      requester.close();
      responder.close();
    }

    private static JGroupsTransportFactory factory(String cluster, InetAddress bind, int port,
        List<InetSocketAddress> members) {
      return JGroupsTransportFactory.builder().clusterName(cluster).stack(JGroupsTransportFactory.LOOPBACK_STACK)
          .bindAddress(bind).bindPort(port).initialMembers(members).build();
    }
  }

  /**
   * Two raw JGroups channels on the same loopback stack, without Quire's transport (no envelope, no inbox thread, no
   * request table or timeout): the second sends {@code responseBytes} back from its receive callback. The stack's
   * documented system properties ({@code quire.jgroups.bind_port} and friends) are set before each channel is made.
   */
  @State(Scope.Benchmark)
  public static class JChannelFloor {
    @Param({"64", "4096"})
    int responseBytes;

    JChannel requester;
    JChannel responder;
    Address responderAddress;
    byte[] request;
    volatile CompletableFuture<byte[]> waiting;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      String loopback = InetAddress.getLoopbackAddress().getHostAddress();
      List<Integer> ports = LoopbackPorts.free(2);
      String cluster = "quire-bench-" + UUID.randomUUID();
      System.setProperty("quire.jgroups.bind_addr", loopback);
      System.setProperty("quire.jgroups.initial_hosts",
          loopback + "[" + ports.get(0) + "]," + loopback + "[" + ports.get(1) + "]");
      System.setProperty("quire.jgroups.bind_port", Integer.toString(ports.get(0)));
      requester = new JChannel(JGroupsTransportFactory.LOOPBACK_STACK);
      System.setProperty("quire.jgroups.bind_port", Integer.toString(ports.get(1)));
      responder = new JChannel(JGroupsTransportFactory.LOOPBACK_STACK);
      byte[] response = Keys.fullPage(responseBytes, 2);
      responder.setReceiver(new org.jgroups.Receiver() {
        @Override
        public void receive(Message message) {
          try {
            responder.send(new BytesMessage(message.getSrc(), response));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
      requester.setReceiver(new org.jgroups.Receiver() {
        @Override
        public void receive(Message message) {
          CompletableFuture<byte[]> w = waiting;
          if (w != null) {
            w.complete(message.getArray());
          }
        }
      });
      requester.connect(cluster);
      responder.connect(cluster);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (requester.getView().size() < 2 || responder.getView().size() < 2) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no two-member view: " + requester.getView() + ", " + responder.getView());
        }
        Thread.sleep(10);
      }
      responderAddress = responder.getAddress();
      request = Keys.fullPage(REQUEST_BYTES, 1);
      byte[] answer = roundTrip();
      if (answer.length != responseBytes || answer[0] != 1) {
        throw new IllegalStateException("wrong response of " + answer.length + " bytes");
      }
    }

    byte[] roundTrip() throws Exception {
      CompletableFuture<byte[]> w = new CompletableFuture<>();
      waiting = w;
      requester.send(new BytesMessage(responderAddress, request));
      return w.get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      requester.close();
      responder.close();
    }
  }

  /** Answers every request with {@code response} (null: answers nothing, the requester's side). */
  private record Answering(ByteBuffer response) implements Receiver {
    @Override
    public void onMessage(NodeId from, ByteBuffer frame) {}

    @Override
    public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
      if (response != null) {
        responder.reply(response);
      }
    }

    @Override
    public void onView(View view) {}
  }

  static int[] shuffledIndexes(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Random random = new java.util.Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  @Benchmark
  public byte[] caffeineGet(CaffeineFloor f, Cursor cursor) {
    return f.cache.getIfPresent(f.reads[cursor.next() & JCacheBench.MASK]);
  }

  @Benchmark
  public Object kryoRoundTripItem(KryoFloor f, Cursor cursor) {
    return f.roundTrip(f.byName, f.items[cursor.next() & (KryoFloor.ITEMS - 1)]);
  }

  @Benchmark
  public Object kryoRoundTripItemRegistered(KryoFloor f, Cursor cursor) {
    return f.roundTrip(f.registered, f.items[cursor.next() & (KryoFloor.ITEMS - 1)]);
  }

  @Benchmark
  public byte[] mapdbPageGet(MapDbFloor f, Cursor cursor) {
    return f.table.get(f.tableKeys[cursor.next() & PAGE_MASK]);
  }

  @Benchmark
  public byte[] mapdbHTreeGet(MapDbFloor f, Cursor cursor) {
    return f.htree.get(f.htreeKeys[cursor.next() & PAGE_MASK]);
  }

  @Benchmark
  public byte[] mapdbHTreePut(MapDbFloor f, Cursor cursor) {
    int i = cursor.next();
    return f.htree.put(f.htreeKeys[i & PAGE_MASK], f.putValues[i & (MapDbFloor.PUT_VALUES - 1)]);
  }

  @Benchmark
  public byte[] tcpRoundTrip(TcpFloor f) throws IOException {
    return f.roundTrip();
  }

  @Benchmark
  public ByteBuffer jgroupsRoundTrip(JGroupsFloor f) {
    return f.roundTrip();
  }

  @Benchmark
  public byte[] jchannelRoundTrip(JChannelFloor f) throws Exception {
    return f.roundTrip();
  }
}
