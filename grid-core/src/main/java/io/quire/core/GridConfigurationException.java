package io.quire.core;

/** Settings, or a settings file, that the node cannot run with; the message names the file, line and problem. */
public final class GridConfigurationException extends GridException {
  private static final long serialVersionUID = 1L;

  public GridConfigurationException(String message) {
    super(message);
  }
}
