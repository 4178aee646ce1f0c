package io.quire.transport.local;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The local transport's own frame around the caller's bytes: kind (1 byte), request id (8 bytes), payload. It never
 * leaves the JVM, so it carries no format version.
 */
final class Envelope {
  static final int HEADER_BYTES = 1 + Long.BYTES;

  /** What a frame is; the wire byte is the ordinal + 1, so that a zeroed buffer is not a valid frame. */
  enum Kind {
    MESSAGE, REQUEST, RESPONSE, FAILURE;

    private static final Kind[] BY_WIRE = values();

    byte wire() {
      return (byte) (ordinal() + 1);
    }
  }

  /** A decoded frame; {@code payload} is a view of the envelope's array, which the delivery owns. */
  record Decoded(Kind kind, long requestId, ByteBuffer payload) {}

  private Envelope() {}

  /** Copies the payload's remaining bytes into a new frame, leaving the payload's position unchanged. */
  static byte[] encode(Kind kind, long requestId, ByteBuffer payload) {
    ByteBuffer source = payload.duplicate();
    byte[] frame = new byte[HEADER_BYTES + source.remaining()];
    ByteBuffer out = ByteBuffer.wrap(frame);
    out.put(kind.wire()).putLong(requestId).put(source);
    return frame;
  }

  /** The kind of a frame, or null when the frame is malformed (for logs that must not throw). */
  static Kind kindOf(byte[] frame) {
    if (frame.length < HEADER_BYTES || frame[0] < 1 || frame[0] > Kind.BY_WIRE.length) {
      return null;
    }
    return Kind.BY_WIRE[frame[0] - 1];
  }

  /**
   * Reads a frame.
   *
   * @throws IllegalArgumentException if it is too short or of an unknown kind
   */
  static Decoded decode(byte[] frame) {
    Kind kind = kindOf(frame);
    if (kind == null) {
      throw new IllegalArgumentException("malformed " + frame.length + "-byte frame, starts with "
          + Arrays.toString(Arrays.copyOf(frame, Math.min(frame.length, HEADER_BYTES))));
    }
    ByteBuffer in = ByteBuffer.wrap(frame);
    in.get();
    long requestId = in.getLong();
    return new Decoded(kind, requestId, in.slice());
  }
}
