package io.quire.spi.transport;

import io.quire.core.NodeId;
import java.time.Duration;

/** No response to a request arrived in time: the request, the response or the responder may be lost or slow. */
public final class TransportTimeoutException extends TransportException {
  private static final long serialVersionUID = 1L;

  public TransportTimeoutException(NodeId from, NodeId to, Duration timeout) {
    super(from + ": no response from " + to + " within " + timeout
        + "; the request or the response was lost, or " + to + " is slow or has not answered");
  }
}
