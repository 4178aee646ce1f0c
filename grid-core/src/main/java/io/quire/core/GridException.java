package io.quire.core;

/**
 * Base of every failure that the grid reports to its callers. Subclasses name one cause each, so that a caller can
 * act on the type and a person can act on the message.
 */
public class GridException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GridException(String message) {
    super(message);
  }

  public GridException(String message, Throwable cause) {
    super(message, cause);
  }
}
