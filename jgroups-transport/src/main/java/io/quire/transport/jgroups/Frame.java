package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * One decoded envelope (see {@link FrameCodec} for the wire layout).
 *
 * @param type what the frame is
 * @param viewId the id of the view the sender had installed when it sent the frame; a receiver delivers the frame only
 *     once it has delivered that view itself, which is how frames stay in order with views
 * @param correlationId 0 for a one-way message; the request's id for a request, response or failure
 * @param payload the caller's bytes, from position to limit; owned by whoever receives the frame
 */
record Frame(Type type, long viewId, long correlationId, ByteBuffer payload) {

  /** The kinds of frame. The wire byte is fixed per constant (never the ordinal), and 0 is not a valid type. */
  enum Type {
    MESSAGE(1), REQUEST(2), RESPONSE(3), FAILURE(4);

    private final byte wire;

    Type(int wire) {
      this.wire = (byte) wire;
    }

    byte wire() {
      return wire;
    }

    /** The type whose wire byte is {@code wire}, or null. */
    static Type ofWire(byte wire) {
      for (Type type : values()) {
        if (type.wire == wire) {
          return type;
        }
      }
      return null;
    }
  }

  Frame {
    requireNonNull(type, "type");
    requireNonNull(payload, "payload");
  }
}
