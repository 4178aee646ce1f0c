package io.quire.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
  private static final PageSize PAGE = PageSize.DEFAULT;
  private static final MessageCodec CODEC = new MessageCodec(PAGE);
  private static final NodeId A = new NodeId(1);
  private static final NodeId B = new NodeId(-2);
  private static final GlobalAddress P = new GlobalAddress(1, 4096 * 7);
  private static final Page DATA = Page.of(P, 9, false, true, new byte[] {1, 2, 3, 4, 5});

  static Stream<CoherenceMessage> oneOfEach() {
    return Stream.of(
        new CoherenceMessage.ReadRequest(1, A, P),
        new CoherenceMessage.PageGrant(2, B, DATA),
        new CoherenceMessage.WriteRequest(3, A, P, new PageOp.WriteBytes(10, Bytes.copyOf(new byte[] {7})), false),
        new CoherenceMessage.WriteRequest(4, A, P, new PageOp.Registered(42, Bytes.copyOf(new byte[] {1, 2})), true),
        new CoherenceMessage.WriteDone(5, P, 10, Bytes.copyOf(new byte[] {1})),
        new CoherenceMessage.OwnershipGrant(6, B, DATA, List.of(A, B),
            List.of(new CoherenceMessage.Applied(5, Bytes.EMPTY), new CoherenceMessage.Applied(6, Bytes.copyOf(new byte[] {1}))),
            List.of(B)),
        new CoherenceMessage.OwnershipAck(P, 9, A),
        new CoherenceMessage.Redirect(7, P, B),
        new CoherenceMessage.Invalidate(P, 10, B),
        new CoherenceMessage.InvalidateAck(P, 10, A),
        new CoherenceMessage.ReplicaUpdate(B, DATA, List.of(new CoherenceMessage.Applied(3, Bytes.EMPTY))),
        new CoherenceMessage.ReplicaAck(P, 9, A),
        new CoherenceMessage.OwnerChanged(P, A, 9),
        new CoherenceMessage.Reconfigure(4, A),
        new CoherenceMessage.ReconfigureState(4, B, List.of(new CoherenceMessage.PageReport(P, true, 3, 4),
            new CoherenceMessage.PageReport(P.plus(4096), false, -1, 0))),
        new CoherenceMessage.ReconfigureDecision(4, A, List.of(new CoherenceMessage.Assignment(P, B, 5, true,
            List.of(A)))),
        new CoherenceMessage.ReconfigureAck(4, B),
        new CoherenceMessage.ReleaseReplica(P, A),
        new CoherenceMessage.ReplicaReleased(P, B),
        new CoherenceMessage.ResourceReport(A, 1 << 20, -1),
        new CoherenceMessage.Refused(8, P, B, "not allocated: freed or never allocated"),
        new CoherenceMessage.FreeRange(P, 3, A),
        new CoherenceMessage.FreeRangeAck(P, B),
        new CoherenceMessage.LeaveNotice(A),
        new CoherenceMessage.LeaveNoticeAck(B));
  }

  @Test
  void oneOfEach_coversEveryMessageType() {
    Set<MessageType> covered = oneOfEach().map(CoherenceMessage::type).collect(Collectors.toSet());
    assertThat(covered).isEqualTo(EnumSet.allOf(MessageType.class));
  }

  @ParameterizedTest
  @MethodSource("oneOfEach")
  void decode_ofEncode_returnsAnEqualMessage(CoherenceMessage message) {
    CoherenceMessage decoded = CODEC.decode(CODEC.encode(message));
    if (message instanceof CoherenceMessage.PageGrant grant) {
      assertThat(((CoherenceMessage.PageGrant) decoded).data().sameContentAs(grant.data())).isTrue();
    } else if (message instanceof CoherenceMessage.OwnershipGrant grant) {
      var got = (CoherenceMessage.OwnershipGrant) decoded;
      assertThat(got.data().sameContentAs(grant.data())).isTrue();
      assertThat(got.replicas()).isEqualTo(grant.replicas());
      assertThat(got.recent()).isEqualTo(grant.recent());
      assertThat(got.rebuild()).isEqualTo(grant.rebuild());
    } else if (message instanceof CoherenceMessage.ReplicaUpdate update) {
      assertThat(((CoherenceMessage.ReplicaUpdate) decoded).data().sameContentAs(update.data())).isTrue();
      assertThat(((CoherenceMessage.ReplicaUpdate) decoded).applied()).isEqualTo(update.applied());
    } else {
      assertThat(decoded).isEqualTo(message);
    }
  }

  @ParameterizedTest
  @MethodSource("oneOfEach")
  void decode_everyTruncation_throwsProtocolExceptionOnly(CoherenceMessage message) {
    ByteBuffer frame = CODEC.encode(message);
    for (int length = 0; length < frame.remaining(); length++) {
      ByteBuffer truncated = frame.duplicate().limit(length);
      assertThatThrownBy(() -> CODEC.decode(truncated)).as("first %d bytes", length)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("oneOfEach")
  void decode_trailingBytes_throws(CoherenceMessage message) {
    ByteBuffer frame = CODEC.encode(message);
    ByteBuffer longer = ByteBuffer.allocate(frame.remaining() + 1).put(frame).put((byte) 0).flip();
    assertThatThrownBy(() -> CODEC.decode(longer)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void decode_pageDamagedInTransit_throwsNamingTheChecksum() {
    ByteBuffer frame = CODEC.encode(new CoherenceMessage.PageGrant(2, B, DATA));
    frame.put(frame.limit() - 1, (byte) 99);
    assertThatThrownBy(() -> CODEC.decode(frame)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("damaged in transit");
  }

  @Test
  void decode_unknownTypeOrFormat_throws() {
    assertThatThrownBy(() -> CODEC.decode(ByteBuffer.wrap(new byte[] {1, 99})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("unknown message type 99");
    assertThatThrownBy(() -> CODEC.decode(ByteBuffer.wrap(new byte[] {7, 1})))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("format 7");
  }

  @Test
  void decode_randomGarbage_neverThrowsAnythingButProtocolException() {
    Random random = new Random(20261127);
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      if (garbage.length > 0 && random.nextBoolean()) {
        garbage[0] = MessageCodec.FORMAT_V1;
      }
      if (garbage.length > 1 && random.nextBoolean()) {
        garbage[1] = (byte) (1 + random.nextInt(22));
      }
      Throwable thrown = catchThrowable(() -> CODEC.decode(ByteBuffer.wrap(garbage)));
      if (thrown != null) {
        assertThat(thrown).as("garbage frame %d", i).isInstanceOf(ProtocolException.class);
      }
    }
  }

  @Test
  void decode_hugeLengthField_isRejectedBeforeAllocating() {
    ByteBuffer frame = ByteBuffer.allocate(64).put(MessageCodec.FORMAT_V1)
        .put(MessageType.WRITE_DONE.wireId()).putLong(1).putLong(P.hi()).putLong(P.lo()).putLong(3)
        .putInt(Integer.MAX_VALUE).flip();
    assertThatThrownBy(() -> CODEC.decode(frame)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void writeRequests_ofEveryLengthUpToAPage_roundTrip() {
    // The encoder grows its buffer as it goes: no length may leave it exactly full before the last field.
    for (int length = 0; length <= 4096; length++) {
      byte[] bytes = new byte[length];
      java.util.Arrays.fill(bytes, (byte) length);
      for (boolean ownership : new boolean[] {false, true}) {
        var message = new CoherenceMessage.WriteRequest(length, A, P,
            new PageOp.WriteBytes(0, Bytes.copyOf(bytes)), ownership);
        var decoded = (CoherenceMessage.WriteRequest) CODEC.decode(CODEC.encode(message));
        assertThat(decoded.wantsOwnership()).isEqualTo(ownership);
        assertThat(((PageOp.WriteBytes) decoded.op()).bytes().toByteArray()).isEqualTo(bytes);
      }
    }
  }
}
