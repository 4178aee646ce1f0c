package io.quire.spi.transport;

import io.quire.core.GridException;

/** A frame or a response could not be delivered. Subclasses name the cause. */
public class TransportException extends GridException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
