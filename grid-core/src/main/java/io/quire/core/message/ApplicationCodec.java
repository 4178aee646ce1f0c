package io.quire.core.message;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of {@link ApplicationMessage}s. Frame: the format byte {@value #FORMAT_V1} (distinct from {@link
 * MessageCodec#FORMAT_V1}, so one look at the first byte tells application frames from coherence frames on a shared
 * transport), topic length (1 unsigned byte), topic (UTF-8), payload length (int), payload. Decoding is strict: a
 * wrong format, an empty or malformed topic, a length out of bounds, a truncated frame or trailing bytes raise {@link
 * ProtocolException}.
 *
 * <p>Stateless and safe for concurrent use.
 */
public final class ApplicationCodec {
  /** The first byte of every application frame ('A'). */
  public static final byte FORMAT_V1 = 0x41;

  /** The largest payload: far above any event batch, far below what would strain a node's heap. */
  public static final int MAX_PAYLOAD = 16 << 20;

  private ApplicationCodec() {}

  /** True when {@code frame} (from its position) claims to be an application frame. */
  public static boolean isApplicationFrame(ByteBuffer frame) {
    return frame.remaining() > 0 && frame.get(frame.position()) == FORMAT_V1;
  }

  /** The frame for {@code message}, ready to read. */
  public static ByteBuffer encode(ApplicationMessage message) {
    byte[] topic = message.topic().getBytes(StandardCharsets.UTF_8);
    byte[] payload = message.payload().shared();
    ByteBuffer out = ByteBuffer.allocate(1 + 1 + topic.length + 4 + payload.length);
    out.put(FORMAT_V1).put((byte) topic.length).put(topic).putInt(payload.length).put(payload);
    return out.flip();
  }

  /**
   * The message in {@code frame}, read from its position to its limit (the buffer itself is not moved).
   *
   * @throws ProtocolException if the frame is not exactly one valid application message
   */
  public static ApplicationMessage decode(ByteBuffer frame) {
    ByteBuffer in = frame.duplicate();
    try {
      byte format = in.get();
      if (format != FORMAT_V1) {
        throw new ProtocolException("not an application frame: format " + format + ", expected " + FORMAT_V1);
      }
      int topicLength = in.get() & 0xFF;
      if (topicLength == 0) {
        throw new ProtocolException("application frame with an empty topic");
      }
      byte[] topicBytes = new byte[topicLength];
      in.get(topicBytes);
      String topic;
      try {
        topic = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(topicBytes)).toString();
      } catch (CharacterCodingException e) {
        throw new ProtocolException("application frame whose topic is not UTF-8", e);
      }
      int length = in.getInt();
      if (length < 0 || length > MAX_PAYLOAD || length > in.remaining()) {
        throw new ProtocolException("application frame on topic '" + topic + "' claims " + length
            + " payload bytes; " + in.remaining() + " follow, at most " + MAX_PAYLOAD + " allowed");
      }
      byte[] payload = new byte[length];
      in.get(payload);
      if (in.hasRemaining()) {
        throw new ProtocolException("application frame on topic '" + topic + "' has " + in.remaining()
            + " trailing bytes");
      }
      return new ApplicationMessage(topic, Bytes.adopt(payload));
    } catch (BufferUnderflowException e) {
      throw new ProtocolException("truncated application frame of " + frame.remaining() + " bytes", e);
    }
  }
}
