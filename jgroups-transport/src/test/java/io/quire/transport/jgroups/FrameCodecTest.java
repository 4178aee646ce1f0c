package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The envelope: what it writes, and that reading bytes that are not exactly one valid frame always fails cleanly. */
class FrameCodecTest {
  private static final byte[] PAYLOAD = "page bytes".getBytes(StandardCharsets.UTF_8);

  private static byte[] valid() {
    return FrameCodec.encode(Frame.Type.REQUEST, 7, 42, ByteBuffer.wrap(PAYLOAD));
  }

  private static Frame decode(byte[] bytes) throws MalformedFrameException {
    return FrameCodec.decode(bytes, 0, bytes.length);
  }

  private static byte[] bytes(Frame frame) {
    ByteBuffer payload = frame.payload().duplicate();
    byte[] out = new byte[payload.remaining()];
    payload.get(out);
    return out;
  }

  /* ---- round trips ---- */

  @ParameterizedTest
  @EnumSource(Frame.Type.class)
  void encodeThenDecode_givesTheFrameBack(Frame.Type type) throws Exception {
    long correlation = type == Frame.Type.MESSAGE ? 0 : Long.MAX_VALUE;
    byte[] wire = FrameCodec.encode(type, 3, correlation, ByteBuffer.wrap(PAYLOAD));

    Frame frame = decode(wire);

    assertThat(wire).hasSize(FrameCodec.HEADER_BYTES + PAYLOAD.length);
    assertThat(frame.type()).isEqualTo(type);
    assertThat(frame.viewId()).isEqualTo(3);
    assertThat(frame.correlationId()).isEqualTo(correlation);
    assertThat(bytes(frame)).isEqualTo(PAYLOAD);
  }

  @Test
  void encode_copiesTheRemainingBytesAndLeavesThePositionAlone() throws Exception {
    ByteBuffer payload = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.UTF_8));
    payload.position(2);

    byte[] wire = FrameCodec.encode(Frame.Type.MESSAGE, 1, 0, payload);
    payload.put(2, (byte) 'J');

    assertThat(payload.position()).isEqualTo(2);
    assertThat(new String(bytes(decode(wire)), StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void decode_readsAFrameInsideALargerArray() throws Exception {
    byte[] frame = valid();
    byte[] larger = new byte[frame.length + 10];
    System.arraycopy(frame, 0, larger, 5, frame.length);

    assertThat(bytes(FrameCodec.decode(larger, 5, frame.length))).isEqualTo(PAYLOAD);
  }

  @Test
  void emptyPayload_isAValidFrame() throws Exception {
    assertThat(decode(FrameCodec.encode(Frame.Type.RESPONSE, 1, 1, ByteBuffer.allocate(0))).payload().remaining())
        .isZero();
  }

  @Test
  void encode_rejectsIdsTheDecoderWouldReject() {
    ByteBuffer payload = ByteBuffer.wrap(PAYLOAD);
    assertThatThrownBy(() -> FrameCodec.encode(Frame.Type.MESSAGE, 0, 0, payload))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FrameCodec.encode(Frame.Type.MESSAGE, 1, 5, payload))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FrameCodec.encode(Frame.Type.REQUEST, 1, 0, payload))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /* ---- rejections, one per field ---- */

  @Test
  void decode_everyTruncation_isRejected() {
    byte[] frame = valid();
    for (int length = 0; length < frame.length; length++) {
      int n = length;
      assertThatThrownBy(() -> FrameCodec.decode(frame, 0, n)).as("first %d bytes", n)
          .isInstanceOf(MalformedFrameException.class);
    }
  }

  @Test
  void decode_trailingBytes_areRejected() {
    byte[] frame = Arrays.copyOf(valid(), valid().length + 1);

    assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void decode_nullOrEmptyOrOutOfBounds_isRejected() {
    assertThatThrownBy(() -> FrameCodec.decode(null, 0, 0)).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> FrameCodec.decode(new byte[0], 0, 0)).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> FrameCodec.decode(valid(), 4, valid().length))
        .isInstanceOf(MalformedFrameException.class).hasMessageContaining("outside");
  }

  @Test
  void decode_foreignMagic_isRejected() {
    byte[] frame = valid();
    frame[0] = 'X';

    assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("not a Quire frame");
  }

  @Test
  void decode_unknownVersion_isRejected() {
    byte[] frame = valid();
    frame[2] = 2;

    assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void decode_unknownType_isRejected() {
    for (byte type : new byte[] {0, 5, -1, 127}) {
      byte[] frame = valid();
      frame[3] = type;
      assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining("unknown frame type " + type);
    }
  }

  @Test
  void decode_viewIdBelowOne_isRejected() {
    byte[] frame = valid();
    ByteBuffer.wrap(frame).putLong(4, 0);

    assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("view id 0");
  }

  @Test
  void decode_correlationIdThatBreaksTheTypesRule_isRejected() {
    byte[] message = FrameCodec.encode(Frame.Type.MESSAGE, 1, 0, ByteBuffer.wrap(PAYLOAD));
    ByteBuffer.wrap(message).putLong(12, 9);
    byte[] request = valid();
    ByteBuffer.wrap(request).putLong(12, -3);

    assertThatThrownBy(() -> decode(message)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("correlation id 9");
    assertThatThrownBy(() -> decode(request)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("correlation id -3");
  }

  @Test
  void decode_lengthThatDisagreesWithTheBytes_isRejected() {
    for (int length : new int[] {-1, PAYLOAD.length - 1, PAYLOAD.length + 1, Integer.MAX_VALUE}) {
      byte[] frame = valid();
      ByteBuffer.wrap(frame).putInt(20, length);
      assertThatThrownBy(() -> decode(frame)).as("length %d", length).isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining("payload is " + length);
    }
  }

  @Test
  void decode_failureWhoseTextIsNotUtf8_isRejected() {
    byte[] frame = FrameCodec.encode(Frame.Type.FAILURE, 1, 1, ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x28}));

    assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("UTF-8");
  }

  /* ---- garbage ---- */

  @Test
  void randomBytes_areRejectedWithoutAnyOtherException() {
    SplittableRandom random = new SplittableRandom(20_240_601);
    for (int i = 0; i < 5_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      if (i % 2 == 0 && garbage.length >= 3) {
        // Half of them look like our frames for the first bytes, so the checks further in are reached too.
        garbage[0] = FrameCodec.MAGIC_0;
        garbage[1] = FrameCodec.MAGIC_1;
        garbage[2] = FrameCodec.VERSION;
      }
      try {
        Frame frame = decode(garbage);
        // A random frame that passes every check is a frame: then it must be self-consistent.
        assertThat(FrameCodec.HEADER_BYTES + frame.payload().remaining()).isEqualTo(garbage.length);
      } catch (MalformedFrameException expected) {
        assertThat(expected).hasMessageNotContaining("Exception");
      }
    }
  }

  @Test
  void everySingleByteCorruptionOfTheHeader_isRejectedOrStillAValidFrame() {
    byte[] original = valid();
    for (int at = 0; at < FrameCodec.HEADER_BYTES; at++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupted = original.clone();
        corrupted[at] ^= (byte) (1 << bit);
        try {
          Frame frame = decode(corrupted);
          // Only the type (into another type), view id and correlation id can change and still pass: the envelope
          // has no checksum (TCP and JGroups' own framing guard the bytes; grid-core's pages carry checksums).
          assertThat(at).as("byte %d bit %d", at, bit).isBetween(3, 19);
          assertThat(bytes(frame)).isEqualTo(PAYLOAD);
        } catch (MalformedFrameException expected) {
          // rejected, as it should be
        }
      }
    }
  }
}
