package io.quire.spi.transport;

import io.quire.core.NodeId;

/** The local transport is closed (or its node crashed): it sends and receives nothing more. */
public final class TransportClosedException extends TransportException {
  private static final long serialVersionUID = 1L;

  public TransportClosedException(NodeId node, String why) {
    super("the transport of " + node + " is closed: " + why);
  }
}
