package io.quire.transport.jgroups;

/** Bytes from the wire that are not a valid frame; the frame is dropped and logged, the node carries on. */
final class MalformedFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  MalformedFrameException(String message) {
    super(message);
  }
}
