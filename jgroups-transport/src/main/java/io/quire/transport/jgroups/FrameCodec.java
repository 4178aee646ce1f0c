package io.quire.transport.jgroups;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The envelope that {@link JGroupsTransport} puts around every frame it sends, and the strict reader of it.
 *
 * <pre>
 * offset  size  field
 *      0     2  magic 'Q' 'J'       rejects traffic that is not ours (another application on the cluster name)
 *      2     1  version (1)         a node refuses versions it does not know rather than guess
 *      3     1  type                1 MESSAGE, 2 REQUEST, 3 RESPONSE, 4 FAILURE
 *      4     8  view id             the sender's installed view when it sent (&gt;= 1)
 *     12     8  correlation id      0 for MESSAGE, &gt; 0 (the request's id) for the others
 *     20     4  payload length      must equal the bytes that follow: no truncation, no trailing bytes
 *     24     n  payload             the caller's bytes; for FAILURE, the remote error as UTF-8 text
 * </pre>
 *
 * Big-endian. Decoding checks every field and throws {@link MalformedFrameException} on the first one that is wrong;
 * it never throws anything else, whatever the input. Stateless.
 */
final class FrameCodec {
  static final byte MAGIC_0 = 'Q';
  static final byte MAGIC_1 = 'J';
  static final byte VERSION = 1;
  static final int HEADER_BYTES = 2 + 1 + 1 + Long.BYTES + Long.BYTES + Integer.BYTES;
  private static final int SHOWN_BYTES = 8;

  private FrameCodec() {}

  /**
   * A new frame holding a copy of {@code payload}'s remaining bytes; {@code payload}'s position is not changed.
   *
   * @throws IllegalArgumentException if the view id or correlation id breaks the rules above
   */
  static byte[] encode(Frame.Type type, long viewId, long correlationId, ByteBuffer payload) {
    if (viewId < 1) {
      throw new IllegalArgumentException("a frame's view id is at least 1, not " + viewId);
    }
    checkCorrelation(type, correlationId);
    ByteBuffer source = payload.duplicate();
    byte[] frame = new byte[HEADER_BYTES + source.remaining()];
    ByteBuffer.wrap(frame).put(MAGIC_0).put(MAGIC_1).put(VERSION).put(type.wire()).putLong(viewId)
        .putLong(correlationId).putInt(source.remaining()).put(source);
    return frame;
  }

  /**
   * Reads the frame in {@code bytes[offset, offset + length)}. The payload of the result is a view of {@code bytes}.
   *
   * @throws MalformedFrameException if the bytes are not exactly one valid frame
   */
  static Frame decode(byte[] bytes, int offset, int length) throws MalformedFrameException {
    if (bytes == null || length <= 0) {
      throw new MalformedFrameException("empty frame");
    }
    if (offset < 0 || length > bytes.length - offset) {
      throw new MalformedFrameException("frame of " + length + " bytes at offset " + offset + " lies outside its "
          + bytes.length + "-byte buffer");
    }
    if (length < HEADER_BYTES) {
      throw new MalformedFrameException("truncated frame: " + length + " bytes, shorter than the " + HEADER_BYTES
          + "-byte header; starts with " + show(bytes, offset, length));
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    if (in.get() != MAGIC_0 || in.get() != MAGIC_1) {
      throw new MalformedFrameException("not a Quire frame: starts with " + show(bytes, offset, length));
    }
    byte version = in.get();
    if (version != VERSION) {
      throw new MalformedFrameException("unsupported frame version " + version + "; this node reads version "
          + VERSION);
    }
    byte typeByte = in.get();
    Frame.Type type = Frame.Type.ofWire(typeByte);
    if (type == null) {
      throw new MalformedFrameException("unknown frame type " + typeByte);
    }
    long viewId = in.getLong();
    if (viewId < 1) {
      throw new MalformedFrameException(type + " frame with view id " + viewId + "; view ids are at least 1");
    }
    long correlationId = in.getLong();
    String badCorrelation = correlationProblem(type, correlationId);
    if (badCorrelation != null) {
      throw new MalformedFrameException(badCorrelation);
    }
    int payloadLength = in.getInt();
    if (payloadLength != in.remaining()) {
      throw new MalformedFrameException(type + " frame says its payload is " + payloadLength + " bytes but "
          + in.remaining() + " follow (" + (payloadLength > in.remaining() ? "truncated" : "trailing bytes") + ")");
    }
    ByteBuffer payload = in.slice();
    if (type == Frame.Type.FAILURE) {
      checkUtf8(payload);
    }
    return new Frame(type, viewId, correlationId, payload);
  }

  /** The text of a FAILURE frame's payload (already checked to be UTF-8 by {@link #decode}). */
  static String text(ByteBuffer payload) {
    return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
  }

  private static void checkCorrelation(Frame.Type type, long correlationId) {
    String problem = correlationProblem(type, correlationId);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static String correlationProblem(Frame.Type type, long correlationId) {
    if (type == Frame.Type.MESSAGE && correlationId != 0) {
      return "MESSAGE frame with correlation id " + correlationId + "; one-way messages carry 0";
    }
    if (type != Frame.Type.MESSAGE && correlationId <= 0) {
      return type + " frame with correlation id " + correlationId + "; request ids are positive";
    }
    return null;
  }

  private static void checkUtf8(ByteBuffer payload) throws MalformedFrameException {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload.duplicate());
    } catch (CharacterCodingException e) {
      throw new MalformedFrameException("FAILURE frame whose error text is not UTF-8: " + e);
    }
  }

  /** The first bytes of a frame in hex, for log lines about frames that cannot be read. */
  static String show(byte[] bytes, int offset, int length) {
    StringBuilder out = new StringBuilder("[");
    int shown = Math.min(length, SHOWN_BYTES);
    for (int i = 0; i < shown; i++) {
      out.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[offset + i]));
    }
    return out.append(length > shown ? " ...]" : "]").toString();
  }
}
