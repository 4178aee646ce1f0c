package io.quire.transport.local;

import static io.quire.transport.local.RecordingReceiver.bytes;
import static io.quire.transport.local.RecordingReceiver.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.RequestFailedException;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportClosedException;
import io.quire.spi.transport.TransportTimeoutException;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Transport} of a {@link LocalNetwork} must do, whatever delivers its frames. Subclasses supply the
 * network and say how to wait for a future: with a bounded real wait, or by stepping a simulation.
 */
abstract class TransportContract {
  static final NodeId A = new NodeId(1);
  static final NodeId B = new NodeId(2);
  static final NodeId C = new NodeId(3);
  static final Duration TIMEOUT = Duration.ofMillis(200);

  protected LocalNetwork network;
  protected final RecordingReceiver atA = new RecordingReceiver();
  protected final RecordingReceiver atB = new RecordingReceiver();
  protected Transport a;
  protected Transport b;

  /** A fresh network for one test. */
  protected abstract LocalNetwork newNetwork();

  /** Waits for {@code future}; returns its value or throws its failure unwrapped. */
  protected abstract <T> T await(CompletableFuture<T> future);

  /** Lets every frame and view in flight arrive (or be lost), so that "nothing more arrives" can be asserted. */
  protected abstract void settle();

  @BeforeEach
  void startTwoNodes() {
    network = newNetwork();
    a = network.transport(A);
    b = network.transport(B);
    a.start(atA);
    b.start(atB);
    await(atA.view(List.of(A, B)));
  }

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  /* ---- send ---- */

  @Test
  void send_deliversACopyWithTheSender() {
    ByteBuffer frame = bytes("hello");
    a.send(B, frame);
    frame.put(0, (byte) 'J');

    assertThat(frame.position()).isZero();
    assertThat(await(atB.messages(1))).extracting(RecordingReceiver.Received::from, RecordingReceiver.Received::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(A, "hello"));
  }

  @Test
  void send_manyFrames_arriveInOrderPerPair() {
    IntStream.range(0, 200).forEach(i -> a.send(B, bytes("m" + i)));

    await(atB.messages(200));
    assertThat(atB.texts()).containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void send_toNodeOutsideTheView_isDropped() {
    a.send(C, bytes("lost"));
    a.send(B, bytes("kept"));

    assertThat(await(atB.messages(1))).hasSize(1);
    settle();
    assertThat(atA.messages()).isEmpty();
  }

  @Test
  void send_toSelf_arrivesLaterNotInsideTheCall() {
    ThreadLocal<Boolean> sending = ThreadLocal.withInitial(() -> false);
    CompletableFuture<Boolean> insideSend = new CompletableFuture<>();
    RecordingReceiver selfish = new RecordingReceiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        insideSend.complete(sending.get());
        super.onMessage(from, frame);
      }
    };
    Transport c = network.transport(C);
    c.start(selfish);

    sending.set(true);
    c.send(C, bytes("me"));
    sending.set(false);

    assertThat(await(insideSend)).isFalse();
    assertThat(await(selfish.messages(1)).get(0).from()).isEqualTo(C);
  }

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
    Transport c = network.transport(C);
    c.start(flaky);

    await(atA.view(List.of(A, B, C)));
    a.send(C, bytes("bad"));
    a.send(C, bytes("good"));

    assertThat(await(flaky.messages(1))).extracting(RecordingReceiver.Received::text).containsExactly("good");
  }

  /* ---- request ---- */

  @Test
  void request_completesWithTheResponse() {
    ByteBuffer response = await(a.request(B, bytes("ping"), TIMEOUT));

    assertThat(text(response)).isEqualTo("echo:ping");
    assertThat(atB.requests()).extracting(RecordingReceiver.PendingRequest::from).containsExactly(A);
  }

  @Test
  void request_answeredAfterTheCallbackReturned_completes() {
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.request(B, bytes("later"), Duration.ofSeconds(5));

    RecordingReceiver.PendingRequest held = await(atB.requests(1)).get(0);
    held.responder().reply(bytes("done"));

    assertThat(text(await(response))).isEqualTo("done");
    assertThatThrownBy(() -> held.responder().reply(bytes("again"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void request_toSelf_completes() {
    assertThat(text(await(a.request(A, bytes("me"), TIMEOUT)))).isEqualTo("echo:me");
  }

  @Test
  void request_unanswered_timesOut() {
    atB.answering((from, text) -> null);

    assertThatThrownBy(() -> await(a.request(B, bytes("ping"), TIMEOUT)))
        .isInstanceOf(TransportTimeoutException.class).hasMessageContaining(B.toString());
  }

  @Test
  void request_whoseHandlerThrows_failsWithTheRemoteError() {
    atB.answering((from, text) -> {
      throw new IllegalArgumentException("no such page");
    });

    assertThatThrownBy(() -> await(a.request(B, bytes("ping"), TIMEOUT)))
        .isInstanceOf(RequestFailedException.class).hasMessageContaining("no such page");
  }

  @Test
  void request_toUnknownNode_failsUnreachable() {
    CompletableFuture<ByteBuffer> response = a.request(C, bytes("ping"), TIMEOUT);

    assertThat(response).isCompletedExceptionally();
    assertThatThrownBy(() -> await(response)).isInstanceOf(NodeUnreachableException.class)
        .hasMessageContaining(C.toString());
  }

  @Test
  void request_toNodeThatLeaves_failsUnreachable() {
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.request(B, bytes("ping"), Duration.ofSeconds(30));
    await(atB.requests(1));

    b.close();

    assertThatThrownBy(() -> await(response)).isInstanceOf(NodeUnreachableException.class);
  }

  /* ---- views ---- */

  @Test
  void views_followJoinAndLeave() {
    Transport c = network.transport(C);
    RecordingReceiver atC = new RecordingReceiver();
    c.start(atC);
    View abc = await(atA.view(List.of(A, B, C)));
    assertThat(await(atC.view(List.of(A, B, C)))).isEqualTo(abc);

    b.close();
    View ac = await(atA.view(List.of(A, C)));

    assertThat(ac.viewId()).isGreaterThan(abc.viewId());
    assertThat(await(atC.view(List.of(A, C)))).isEqualTo(ac);
    assertThat(a.currentView()).isEqualTo(ac);
    assertThat(atA.views()).extracting(View::viewId).isSorted();
    assertThat(network.view()).isEqualTo(ac);
  }

  /* ---- close ---- */

  @Test
  void close_failsPendingRequestsAndStopsTraffic() {
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.request(B, bytes("ping"), Duration.ofSeconds(30));

    a.close();
    a.close();

    assertThatThrownBy(() -> await(response)).isInstanceOf(TransportClosedException.class);
    assertThatThrownBy(() -> a.send(B, bytes("x"))).isInstanceOf(TransportClosedException.class);
    assertThatThrownBy(() -> await(a.request(B, bytes("x"), TIMEOUT))).isInstanceOf(TransportClosedException.class);
    b.send(A, bytes("to the departed"));
    settle();
    assertThat(atA.messages()).isEmpty();
  }

  @Test
  void start_twice_isRejected() {
    assertThatThrownBy(() -> a.start(new RecordingReceiver())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void send_beforeStart_isRejected() {
    Transport c = network.transport(C);

    assertThatThrownBy(() -> c.send(A, bytes("x"))).isInstanceOf(IllegalStateException.class);
    assertThat(c.currentView()).isEqualTo(View.empty());
  }

  @Test
  void transport_afterClose_isANewIncarnation() {
    b.close();
    Transport again = network.transport(B);
    RecordingReceiver atB2 = new RecordingReceiver();
    again.start(atB2);

    assertThat(again).isNotSameAs(b);
    assertThat(text(await(a.request(B, bytes("hi"), Duration.ofSeconds(5))))).isEqualTo("echo:hi");
    List<String> all = new ArrayList<>(atB2.requests().stream().map(RecordingReceiver.PendingRequest::text).toList());
    assertThat(all).containsExactly("hi");
  }
}
