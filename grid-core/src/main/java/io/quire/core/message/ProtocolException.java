package io.quire.core.message;

import io.quire.core.GridException;

/** A frame that is not a valid message of this protocol version: rejected, logged, never acted on. */
public final class ProtocolException extends GridException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
