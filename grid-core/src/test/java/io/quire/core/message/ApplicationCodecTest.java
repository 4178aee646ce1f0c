package io.quire.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApplicationCodecTest {
  private static final ApplicationMessage MESSAGE =
      new ApplicationMessage("quire.jcache.events", Bytes.copyOf(new byte[] {1, 2, 3}));

  @Test
  void encodeThenDecode_returnsTheSameMessage_andLeavesTheBufferWhereItWas() {
    ByteBuffer frame = ApplicationCodec.encode(MESSAGE);
    assertThat(ApplicationCodec.isApplicationFrame(frame)).isTrue();
    assertThat(ApplicationCodec.decode(frame)).isEqualTo(MESSAGE);
    assertThat(frame.position()).isZero();
  }

  @Test
  void aCoherenceFrame_isNotAnApplicationFrame() {
    ByteBuffer coherence = ByteBuffer.wrap(new byte[] {MessageCodec.FORMAT_V1, 1});
    assertThat(ApplicationCodec.isApplicationFrame(coherence)).isFalse();
    assertThatThrownBy(() -> ApplicationCodec.decode(coherence)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not an application frame");
  }

  @Test
  void everyTruncation_isRejected() {
    byte[] whole = bytes(ApplicationCodec.encode(MESSAGE));
    for (int length = 0; length < whole.length; length++) {
      ByteBuffer cut = ByteBuffer.wrap(whole, 0, length);
      assertThatThrownBy(() -> ApplicationCodec.decode(cut)).as("first %d bytes", length)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void trailingBytes_areRejected() {
    byte[] whole = bytes(ApplicationCodec.encode(MESSAGE));
    ByteBuffer longer = ByteBuffer.allocate(whole.length + 1).put(whole).put((byte) 9).flip();
    assertThatThrownBy(() -> ApplicationCodec.decode(longer)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("1 trailing bytes");
  }

  @Test
  void aPayloadLengthBeyondTheFrame_orNegative_isRejectedBeforeAllocating() {
    byte[] whole = bytes(ApplicationCodec.encode(MESSAGE));
    int lengthAt = 2 + "quire.jcache.events".length();
    for (int claimed : new int[] {-1, 4, Integer.MAX_VALUE}) {
      ByteBuffer bad = ByteBuffer.wrap(whole.clone());
      bad.putInt(lengthAt, claimed);
      assertThatThrownBy(() -> ApplicationCodec.decode(bad)).as("claimed %d", claimed)
          .isInstanceOf(ProtocolException.class).hasMessageContaining("claims " + claimed);
    }
  }

  @Test
  void anEmptyOrMalformedTopic_isRejected() {
    ByteBuffer empty = ByteBuffer.wrap(new byte[] {ApplicationCodec.FORMAT_V1, 0, 0, 0, 0, 0});
    assertThatThrownBy(() -> ApplicationCodec.decode(empty)).hasMessageContaining("empty topic");
    ByteBuffer malformed = ByteBuffer.wrap(new byte[] {ApplicationCodec.FORMAT_V1, 1, (byte) 0xC3, 0, 0, 0, 0});
    assertThatThrownBy(() -> ApplicationCodec.decode(malformed)).hasMessageContaining("not UTF-8");
  }

  @Test
  void aTopicLongerThan255Bytes_cannotBeMade() {
    String topic = "t".repeat(256);
    assertThatThrownBy(() -> new ApplicationMessage(topic, Bytes.EMPTY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ApplicationMessage("é".repeat(127), Bytes.EMPTY).topic().getBytes(StandardCharsets.UTF_8))
        .hasSize(254);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
