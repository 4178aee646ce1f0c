package io.quire.spi.transport;

import io.quire.core.NodeId;

/** The target of a request is not in the view, or left or crashed before answering. */
public final class NodeUnreachableException extends TransportException {
  private static final long serialVersionUID = 1L;

  public NodeUnreachableException(NodeId from, NodeId to, View view) {
    super(from + ": " + to + " is not a member of view " + view.viewId() + " " + view.members()
        + "; it has not joined yet, has left or has crashed");
  }
}
