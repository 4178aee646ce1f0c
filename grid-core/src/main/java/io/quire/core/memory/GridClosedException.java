package io.quire.core.memory;

/** A call on a node after it was closed. */
public final class GridClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public GridClosedException(String node) {
    super("grid node " + node + " is closed");
  }
}
