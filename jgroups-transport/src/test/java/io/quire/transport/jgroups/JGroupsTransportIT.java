package io.quire.transport.jgroups;

import static io.quire.transport.jgroups.Await.await;
import static io.quire.transport.jgroups.RecordingReceiver.bytes;
import static io.quire.transport.jgroups.RecordingReceiver.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.RequestFailedException;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportTimeoutException;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.ObjectMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three JGroups transports in one JVM on 127.0.0.1 (the loopback stack), started once for the class: the
 * Transport SPI's promises for send, request and views on a real network stack, and garbage on the wire. Tests that
 * change the membership live in {@link JGroupsMembershipIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JGroupsTransportIT {
  static final NodeId A = new NodeId(0xA1);
  static final NodeId B = new NodeId(0xB2);
  static final NodeId C = new NodeId(-5); // sorts last: ids compare unsigned
  static final NodeId NOBODY = new NodeId(0xD4);
  static final Duration SHORT = Duration.ofMillis(200);
  static final Duration LONG = Duration.ofSeconds(10);

  private LoopbackCluster cluster;
  private final List<JGroupsTransport> transports = new ArrayList<>();
  private final List<SwitchingReceiver> switches = new ArrayList<>();
  private final List<RecordingReceiver> first = new ArrayList<>();
  private JGroupsTransport a;
  private JGroupsTransport b;
  private JGroupsTransport c;
  private RecordingReceiver atA;
  private RecordingReceiver atB;
  private RecordingReceiver atC;

  @BeforeAll
  void startThreeNodes() {
    cluster = LoopbackCluster.of(3);
    List<NodeId> ids = List.of(A, B, C);
    for (int i = 0; i < ids.size(); i++) {
      JGroupsTransport transport = cluster.transport(i, ids.get(i));
      SwitchingReceiver receiver = new SwitchingReceiver();
      transports.add(transport);
      switches.add(receiver);
      first.add(receiver.current());
      transport.start(receiver);
    }
    a = transports.get(0);
    b = transports.get(1);
    c = transports.get(2);
    for (RecordingReceiver receiver : first) {
      await(receiver.view(List.of(A, B, C)));
    }
  }

  @AfterAll
  void closeAll() {
    transports.forEach(Transport::close);
  }

  @BeforeEach
  void freshReceivers() {
    atA = switches.get(0).fresh();
    atB = switches.get(1).fresh();
    atC = switches.get(2).fresh();
  }

  /** A round trip between every ordered pair: frames sent before it, FIFO per pair, have been handled. */
  private void settle() {
    for (JGroupsTransport from : transports) {
      for (NodeId to : from.currentView().members()) {
        await(from.request(to, bytes(RecordingReceiver.SETTLE), LONG));
      }
    }
  }

  /* ---- views ---- */

  @Test
  void threeTransports_formOneView_thatEveryMemberNumbersAlike() {
    View abc = a.currentView();

    assertThat(abc.members()).containsExactly(A, B, C);
    assertThat(b.currentView()).isEqualTo(abc);
    assertThat(c.currentView()).isEqualTo(abc);
    // Joined one after the other: A saw three views, B the last two, C only the last; the same view has the same id.
    assertThat(first.get(0).views()).extracting(View::members)
        .containsExactly(List.of(A), List.of(A, B), List.of(A, B, C));
    assertThat(first.get(1).views()).containsExactlyElementsOf(first.get(0).views().subList(1, 3));
    assertThat(first.get(2).views()).containsExactly(abc);
    assertThat(first.get(0).views()).extracting(View::viewId).isSorted().doesNotHaveDuplicates()
        .allMatch(id -> id > View.empty().viewId());
  }

  /* ---- send ---- */

  @Test
  void send_deliversACopy_withTheSender() {
    ByteBuffer frame = bytes("hello");
    a.send(B, frame);
    frame.put(0, (byte) 'J');

    assertThat(frame.position()).isZero();
    assertThat(await(atB.messages(1))).extracting(RecordingReceiver.Received::from, RecordingReceiver.Received::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(A, "hello"));
  }

  @Test
  void send_manyFrames_arriveInOrderPerPair_andBeforeALaterRequest() {
    int frames = 300;
    List<Integer> seenByTheRequest = new ArrayList<>();
    atC.answering((from, text) -> {
      seenByTheRequest.add(atC.messages().size());
      return "ok";
    });
    IntStream.range(0, frames).forEach(i -> a.send(C, bytes("m" + i)));

    await(a.request(C, bytes("after"), LONG));

    assertThat(seenByTheRequest).containsExactly(frames);
    assertThat(atC.texts()).containsExactlyElementsOf(IntStream.range(0, frames).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void send_toNodeOutsideTheView_isDropped() {
    a.send(NOBODY, bytes("lost"));
    a.send(B, bytes("kept"));

    assertThat(await(atB.messages(1))).extracting(RecordingReceiver.Received::text).containsExactly("kept");
    settle();
    assertThat(atA.messages()).isEmpty();
    assertThat(atC.messages()).isEmpty();
  }

  @Test
  void send_toSelf_arrivesLater_onTheInboxThread() {
    ThreadLocal<Boolean> sending = ThreadLocal.withInitial(() -> false);
    CompletableFuture<Boolean> insideSend = new CompletableFuture<>();
    RecordingReceiver selfish = new RecordingReceiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        insideSend.complete(sending.get());
        super.onMessage(from, frame);
      }
    };
    switches.get(2).use(selfish);

    sending.set(true);
    c.send(C, bytes("me"));
    sending.set(false);

    assertThat(await(insideSend)).isFalse();
    RecordingReceiver.Received received = await(selfish.messages(1)).get(0);
    assertThat(received.from()).isEqualTo(C);
    assertThat(received.thread()).isEqualTo("quire-jgroups-" + C);
  }

  @Test
  void callbacks_runOnAThreadOfTheReceiver_neverTheSenders() {
    a.send(B, bytes("x"));
    String requestThread = Thread.currentThread().getName();
    await(a.request(B, bytes("y"), LONG));

    // The inbox or the JGroups thread that received it (Inbox: no hand-off when nobody else is delivering).
    assertThat(await(atB.messages(1)).get(0).thread()).isNotEqualTo(requestThread)
        .satisfiesAnyOf(name -> assertThat(name).isEqualTo("quire-jgroups-" + B),
            name -> assertThat(name).doesNotStartWith("quire-jgroups-"));
  }

  @Test
  void callbacksFromSeveralSendersAtOnce_neverOverlap_andKeepEachSendersOrder() throws Exception {
    int perSender = 300;
    java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
    List<String> fromA = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> fromC = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> all = new CompletableFuture<>();
    switches.get(1).use(new RecordingReceiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        if (inside.incrementAndGet() != 1) {
          overlaps.incrementAndGet();
        }
        // Widens the window in which a second deliverer would be seen, without waiting on time.
        for (int i = 0; i < 1_000; i++) {
          Thread.onSpinWait();
        }
        (from.equals(A) ? fromA : fromC).add(text(frame));
        if (fromA.size() + fromC.size() == 2 * perSender) {
          all.complete(null);
        }
        inside.decrementAndGet();
      }
    });
    Thread other = new Thread(() -> IntStream.range(0, perSender).forEach(i -> c.send(B, bytes("c" + i))));
    other.start();
    IntStream.range(0, perSender).forEach(i -> a.send(B, bytes("a" + i)));
    other.join();
    await(all);

    assertThat(overlaps).hasValue(0);
    assertThat(fromA).containsExactlyElementsOf(IntStream.range(0, perSender).mapToObj(i -> "a" + i).toList());
    assertThat(fromC).containsExactlyElementsOf(IntStream.range(0, perSender).mapToObj(i -> "c" + i).toList());
  }

  /* ---- request ---- */

  @Test
  void request_completesWithTheResponse_betweenEveryPairAndToSelf() {
    for (JGroupsTransport from : transports) {
      for (NodeId to : List.of(A, B, C)) {
        String ping = "ping " + from.localNode() + " to " + to;
        assertThat(text(await(from.request(to, bytes(ping), LONG)))).isEqualTo("echo:" + ping);
      }
    }
    assertThat(atB.requests()).extracting(RecordingReceiver.PendingRequest::from).containsExactly(A, B, C);
  }

  @Test
  void request_answeredLaterFromAnotherThread_completes_andOnlyOnce() throws Exception {
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.request(B, bytes("later"), LONG);
    RecordingReceiver.PendingRequest held = await(atB.requests(1)).get(0);

    Thread answerer = new Thread(() -> held.responder().reply(bytes("done")), "answerer");
    answerer.start();
    answerer.join(Await.CAP_SECONDS * 1000);

    assertThat(text(await(response))).isEqualTo("done");
    assertThatThrownBy(() -> held.responder().reply(bytes("again"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void request_unanswered_timesOut() {
    atB.answering((from, text) -> null);

    assertThatThrownBy(() -> await(a.request(B, bytes("ping"), SHORT)))
        .isInstanceOf(TransportTimeoutException.class).hasMessageContaining(B.toString());
  }

  @Test
  void lateResponse_afterTheTimeout_isIgnored() {
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.request(B, bytes("slow"), SHORT);
    RecordingReceiver.PendingRequest held = await(atB.requests(1)).get(0);
    assertThatThrownBy(() -> await(response)).isInstanceOf(TransportTimeoutException.class);

    held.responder().reply(bytes("too late"));
    settle();

    assertThat(response).isCompletedExceptionally();
  }

  @Test
  void request_whoseHandlerThrows_failsWithTheRemoteError() {
    atB.answering((from, text) -> {
      throw new IllegalArgumentException("no such page");
    });

    assertThatThrownBy(() -> await(a.request(B, bytes("ping"), LONG)))
        .isInstanceOf(RequestFailedException.class).hasMessageContaining(B.toString())
        .hasMessageContaining("no such page");
  }

  @Test
  void request_toNodeOutsideTheView_failsUnreachable_beforeItReturns() {
    CompletableFuture<ByteBuffer> response = a.request(NOBODY, bytes("ping"), LONG);

    assertThat(response).isCompletedExceptionally();
    assertThatThrownBy(() -> await(response)).isInstanceOf(NodeUnreachableException.class)
        .hasMessageContaining(NOBODY.toString());
  }

  @Test
  void largeFrames_crossFragmentationWhole() {
    byte[] big = new byte[1 << 20];
    new java.util.SplittableRandom(1).nextBytes(big);
    CompletableFuture<byte[]> message = new CompletableFuture<>();
    switches.get(2).use(new RecordingReceiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        message.complete(copy(frame));
      }

      @Override
      public void onRequest(NodeId from, ByteBuffer frame, io.quire.spi.transport.Responder responder) {
        responder.reply(ByteBuffer.wrap(copy(frame)));
      }
    });

    ByteBuffer echoed = await(a.request(C, ByteBuffer.wrap(big), LONG));
    a.send(C, ByteBuffer.wrap(big));

    assertThat(copy(echoed)).isEqualTo(big);
    assertThat(await(message)).isEqualTo(big);
  }

  private static byte[] copy(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  /* ---- receivers that fail ---- */

  @Test
  void receiverThatThrows_losesOnlyThatFrame() {
    RecordingReceiver flaky = new RecordingReceiver() {
      @Override
      public synchronized void onMessage(NodeId from, ByteBuffer frame) {
        if (text(frame).equals("bad")) {
          throw new IllegalStateException("cannot parse frame");
        }
        super.onMessage(from, frame);
      }
    };
    switches.get(2).use(flaky);

    a.send(C, bytes("bad"));
    a.send(C, bytes("good"));

    assertThat(await(flaky.messages(1))).extracting(RecordingReceiver.Received::text).containsExactly("good");
  }

  /* ---- garbage on the wire ---- */

  @Test
  void garbageFromAMember_isRejectedOneFrameAtATime_andTheNodeCarriesOn() throws Exception {
    Address bAddress = b.channel().getAddress();
    byte[] valid = FrameCodec.encode(Frame.Type.MESSAGE, a.currentView().viewId(), 0, bytes("valid"));
    byte[] badVersion = valid.clone();
    badVersion[2] = 9;
    byte[] badType = valid.clone();
    badType[3] = 42;
    List<Message> garbage = List.of(
        new BytesMessage(bAddress, new byte[] {1, 2, 3}),
        new BytesMessage(bAddress, Arrays.copyOf(valid, valid.length - 1)),
        new BytesMessage(bAddress, Arrays.copyOf(valid, valid.length + 7)),
        new BytesMessage(bAddress, badVersion),
        new BytesMessage(bAddress, badType),
        new BytesMessage(bAddress, "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        new EmptyMessage(bAddress),
        new ObjectMessage(bAddress, "a serialized object"));
    long rejectedBefore = b.stats().framesRejected();

    for (Message message : garbage) {
      a.channel().send(message);
    }
    a.send(B, bytes("after the garbage"));
    // FIFO per pair: once this answer is back, B has handled every message A sent it before.
    assertThat(text(await(a.request(B, bytes("still there?"), LONG)))).isEqualTo("echo:still there?");

    assertThat(b.stats().framesRejected() - rejectedBefore).isEqualTo(garbage.size());
    assertThat(atB.texts()).containsExactly("after the garbage");
    assertThat(b.currentView().members()).containsExactly(A, B, C);
  }

  /**
   * Not a member at all: raw bytes written straight to a member's TCP port (random bytes, JGroups' connection cookie
   * followed by garbage, an HTTP request). JGroups refuses the connection; nothing reaches the grid and the member
   * carries on in its view.
   */
  @Test
  void garbageWrittenToAMembersPort_neverReachesTheGrid_andTheMemberCarriesOn() throws Exception {
    org.jgroups.stack.IpAddress where = (org.jgroups.stack.IpAddress) b.channel().getProtocolStack().getTransport()
        .localPhysicalAddress();
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    byte[] cookieThenNoise = new byte[512];
    random.nextBytes(cookieThenNoise);
    System.arraycopy(new byte[] {'b', 'e', 'l', 'a'}, 0, cookieThenNoise, 0, 4);
    List<byte[]> payloads = List.of(noise, cookieThenNoise,
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    for (byte[] payload : payloads) {
      try (java.net.Socket socket = new java.net.Socket(where.getIpAddress(), where.getPort())) {
        socket.setSoTimeout(2_000);
        socket.getOutputStream().write(payload);
        socket.getOutputStream().flush();
        try {
          socket.getInputStream().read(new byte[64]); // JGroups may answer or close: either is fine
        } catch (java.io.IOException closedOrTimedOut) {
          // the member dropped the connection, or said nothing
        }
      }
    }

    assertThat(text(await(a.request(B, bytes("still there?"), LONG)))).isEqualTo("echo:still there?");
    assertThat(atB.texts()).isEmpty();
    assertThat(b.currentView().members()).containsExactly(A, B, C);
    assertThat(b.channel().isConnected()).isTrue();
  }

  @Test
  void randomBytesFromAMember_areAllRejected_andTheNodeCarriesOn() throws Exception {
    Address bAddress = b.channel().getAddress();
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    List<byte[]> garbage = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] bytes = new byte[1 + random.nextInt(80)];
      random.nextBytes(bytes);
      if (i % 2 == 0 && bytes.length >= 3) {
        // Half look like our frames at first (magic, version), so the later checks are reached on the wire too.
        bytes[0] = FrameCodec.MAGIC_0;
        bytes[1] = FrameCodec.MAGIC_1;
        bytes[2] = FrameCodec.VERSION;
      }
      assertThatThrownBy(() -> FrameCodec.decode(bytes, 0, bytes.length)).as("garbage %d is not a frame", i)
          .isInstanceOf(MalformedFrameException.class);
      garbage.add(bytes);
    }
    long rejectedBefore = b.stats().framesRejected();

    for (byte[] bytes : garbage) {
      a.channel().send(new BytesMessage(bAddress, bytes));
    }
    assertThat(text(await(a.request(B, bytes("still there?"), LONG)))).isEqualTo("echo:still there?");

    assertThat(b.stats().framesRejected() - rejectedBefore).isEqualTo(garbage.size());
    assertThat(atB.texts()).isEmpty();
    assertThat(b.currentView().members()).containsExactly(A, B, C);
  }

  /* ---- lifecycle ---- */

  @Test
  void start_twice_isRejected() {
    assertThatThrownBy(() -> a.start(new RecordingReceiver())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stats_countFramesBothWays() {
    JGroupsTransport.Stats beforeA = a.stats();
    JGroupsTransport.Stats beforeB = b.stats();

    await(a.request(B, bytes("count me"), LONG));

    assertThat(a.stats().framesSent() - beforeA.framesSent()).isEqualTo(1);
    assertThat(a.stats().framesDelivered() - beforeA.framesDelivered()).isEqualTo(1);
    assertThat(b.stats().framesSent() - beforeB.framesSent()).isEqualTo(1);
    assertThat(b.stats().framesDelivered() - beforeB.framesDelivered()).isEqualTo(1);
    assertThat(a.stats().sendFailures()).isZero();
  }
}
