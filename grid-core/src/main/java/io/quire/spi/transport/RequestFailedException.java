package io.quire.spi.transport;

import io.quire.core.NodeId;

/** The receiver of a request threw instead of answering it; the message carries the remote error's description. */
public final class RequestFailedException extends TransportException {
  private static final long serialVersionUID = 1L;

  public RequestFailedException(NodeId responder, String remoteError) {
    super(responder + " failed to handle the request: " + remoteError);
  }
}
