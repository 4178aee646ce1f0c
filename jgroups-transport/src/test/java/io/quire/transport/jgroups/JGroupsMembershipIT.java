package io.quire.transport.jgroups;

import static io.quire.transport.jgroups.Await.await;
import static io.quire.transport.jgroups.RecordingReceiver.bytes;
import static io.quire.transport.jgroups.RecordingReceiver.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.TransportClosedException;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership on real JGroups channels over 127.0.0.1: joins, leaves (of the coordinator too), requests cut off by a
 * leave, close, restarts with the same NodeId, and JGroups members that are not grid nodes. A fresh cluster per test.
 */
class JGroupsMembershipIT {
  static final NodeId A = new NodeId(0xA1);
  static final NodeId B = new NodeId(0xB2);
  static final NodeId C = new NodeId(0xC3);
  static final Duration LONG = Duration.ofSeconds(10);

  private LoopbackCluster cluster;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** One started node: its transport and what its receiver saw. */
  private record Node(JGroupsTransport transport, RecordingReceiver receiver) {}

  @BeforeEach
  void newCluster() {
    cluster = LoopbackCluster.of(4);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private Node start(int slot, NodeId id) {
    JGroupsTransport transport = cluster.transport(slot, id);
    opened.add(transport);
    RecordingReceiver receiver = new RecordingReceiver();
    transport.start(receiver);
    return new Node(transport, receiver);
  }

  @Test
  void views_followJoinAndLeave_ofTheCoordinatorToo_andEveryMemberNumbersThemAlike() {
    Node a = start(0, A);
    Node b = start(1, B);
    Node c = start(2, C);
    View abc = await(a.receiver().view(List.of(A, B, C)));
    assertThat(await(b.receiver().view(List.of(A, B, C)))).isEqualTo(abc);
    assertThat(await(c.receiver().view(List.of(A, B, C)))).isEqualTo(abc);

    a.transport().close(); // A started first: it is JGroups' coordinator

    View bc = await(b.receiver().view(List.of(B, C)));
    assertThat(bc.viewId()).isGreaterThan(abc.viewId());
    assertThat(await(c.receiver().view(List.of(B, C)))).isEqualTo(bc);
    assertThat(b.transport().currentView()).isEqualTo(bc);
    assertThat(b.receiver().views()).extracting(View::viewId).isSorted().doesNotHaveDuplicates();
    assertThat(text(await(b.transport().request(C, bytes("still here"), LONG)))).isEqualTo("echo:still here");
  }

  @Test
  void request_toNodeThatLeaves_failsUnreachable() {
    Node a = start(0, A);
    Node b = start(1, B);
    View ab = await(a.receiver().view(List.of(A, B)));
    b.receiver().answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.transport().request(B, bytes("ping"), Duration.ofSeconds(60));
    await(b.receiver().requests(1));

    b.transport().close();

    assertThatThrownBy(() -> await(response)).isInstanceOf(NodeUnreachableException.class)
        .hasMessageContaining(B.toString());
    assertThat(await(a.receiver().viewAfter(ab.viewId())).members()).containsExactly(A);
  }

  @Test
  void close_failsPendingRequests_refusesNewOnes_andDeliversNothingMore() {
    Node a = start(0, A);
    Node b = start(1, B);
    b.receiver().answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = a.transport().request(B, bytes("ping"), Duration.ofSeconds(60));
    await(b.receiver().requests(1));

    a.transport().close();
    a.transport().close();

    assertThatThrownBy(() -> await(response)).isInstanceOf(TransportClosedException.class);
    assertThatThrownBy(() -> a.transport().send(B, bytes("x"))).isInstanceOf(TransportClosedException.class);
    assertThatThrownBy(() -> await(a.transport().request(B, bytes("x"), LONG)))
        .isInstanceOf(TransportClosedException.class);
    await(b.receiver().view(List.of(B)));
    b.transport().send(A, bytes("to the departed"));
    assertThat(a.receiver().messages()).isEmpty();
    assertThat(a.receiver().views()).extracting(View::members).doesNotContain(List.of(B));
  }

  @Test
  void nodeRestartedWithItsNodeId_isANewIncarnation() {
    Node a = start(0, A);
    Node b = start(1, B);
    View ab = await(a.receiver().view(List.of(A, B)));
    b.transport().close();
    await(a.receiver().view(List.of(A)));

    Node again = start(1, B);

    View abAgain = await(again.receiver().view(List.of(A, B)));
    assertThat(abAgain.viewId()).isGreaterThan(ab.viewId());
    assertThat(text(await(a.transport().request(B, bytes("hi"), LONG)))).isEqualTo("echo:hi");
    assertThat(again.receiver().requests()).extracting(RecordingReceiver.PendingRequest::text).containsExactly("hi");
    assertThat(b.receiver().requests()).isEmpty();
  }

  @Test
  void twoLiveAddressesWithOneNodeId_theLaterJoinerServes_andTheOlderIsLeftOut() {
    Node a = start(0, A);
    Node old = start(1, B);
    await(a.receiver().view(List.of(A, B)));

    // As when a node is restarted from its data directory before JGroups has suspected the crashed incarnation.
    Node restarted = start(2, B);
    View withBoth = await(restarted.receiver().view(List.of(A, B)));

    assertThat(withBoth.members()).containsExactly(A, B);
    assertThat(await(a.receiver().viewAfter(2)).members()).containsExactly(A, B);
    assertThat(text(await(a.transport().request(B, bytes("who?"), LONG)))).isEqualTo("echo:who?");
    assertThat(restarted.receiver().requests()).hasSize(1);
    assertThat(old.receiver().requests()).isEmpty();
  }

  @Test
  void partitionedNode_isSuspected_thenMergedBack_inViewsNumberedAboveBothSides() throws Exception {
    Node a = start(0, A);
    Node b = start(1, B);
    Node c = start(2, C);
    View abc = await(a.receiver().view(List.of(A, B, C)));
    await(c.receiver().view(List.of(A, B, C)));
    DISCARD cut = new DISCARD();
    cut.setAddress(c.transport().channel().getAddress());
    c.transport().channel().getProtocolStack().insertProtocol(cut, ProtocolStack.Position.ABOVE, TP.class);
    c.receiver().answering((from, text) -> null);
    CompletableFuture<ByteBuffer> toC = a.transport().request(C, bytes("across"), Duration.ofSeconds(60));
    await(c.receiver().requests(1));

    cut.discardAll(true); // C hears nothing and says nothing: FD_ALL3 suspects, VERIFY_SUSPECT2 confirms

    View ab = await(a.receiver().view(List.of(A, B), abc.viewId()));
    assertThat(await(b.receiver().view(List.of(A, B), abc.viewId()))).isEqualTo(ab);
    View cAlone = await(c.receiver().view(List.of(C), abc.viewId()));
    assertThatThrownBy(() -> await(toC)).isInstanceOf(NodeUnreachableException.class);

    cut.discardAll(false); // healed: MERGE3 finds two coordinators and merges their views

    View merged = await(a.receiver().view(List.of(A, B, C), ab.viewId()));
    assertThat(merged.viewId()).isGreaterThan(Math.max(ab.viewId(), cAlone.viewId()));
    assertThat(await(b.receiver().view(List.of(A, B, C), ab.viewId()))).isEqualTo(merged);
    assertThat(await(c.receiver().view(List.of(A, B, C), cAlone.viewId()))).isEqualTo(merged);
    c.receiver().answering((from, text) -> "back");
    assertThat(text(await(a.transport().request(C, bytes("again"), LONG)))).isEqualTo("back");
  }

  @Test
  void aJGroupsMemberWithoutNodeId_isLeftOutOfTheView_andItsFramesAreDropped() throws Exception {
    Node a = start(0, A);
    Node b = start(1, B);
    View ab = await(a.receiver().view(List.of(A, B)));
    JChannel stranger = cluster.factory(2).newChannel();
    opened.add(stranger);

    stranger.connect(cluster.name());
    View withStranger = await(a.receiver().viewAfter(ab.viewId()));
    assertThat(withStranger.members()).containsExactly(A, B);
    assertThat(stranger.getView().size()).isEqualTo(3);

    byte[] wellFormed = FrameCodec.encode(Frame.Type.MESSAGE, withStranger.viewId(), 0, bytes("hello from nobody"));
    stranger.send(new BytesMessage(a.transport().channel().getAddress(), wellFormed));
    stranger.send(new BytesMessage(a.transport().channel().getAddress(), new byte[] {6, 6, 6}));
    Await.until(() -> a.transport().stats().framesFromNonMembers() == 1 && a.transport().stats().framesRejected() == 1,
        "A dropped the stranger's frame and rejected its garbage");

    stranger.close();
    View afterStranger = await(a.receiver().viewAfter(withStranger.viewId()));
    assertThat(afterStranger.members()).containsExactly(A, B);
    assertThat(a.receiver().messages()).isEmpty();
    assertThat(text(await(b.transport().request(A, bytes("fine?"), LONG)))).isEqualTo("echo:fine?");
  }
}
