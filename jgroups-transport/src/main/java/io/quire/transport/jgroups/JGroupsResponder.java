package io.quire.transport.jgroups;

import io.quire.core.NodeId;
import io.quire.spi.transport.Responder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/** Answers one request with a RESPONSE frame (or, when the receiver threw, a FAILURE frame) to the requester. */
final class JGroupsResponder implements Responder {
  private final JGroupsTransport transport;
  private final NodeId requester;
  private final long requestId;
  // Any thread may answer; the first compareAndSet wins.
  private final AtomicBoolean answered = new AtomicBoolean();

  JGroupsResponder(JGroupsTransport transport, NodeId requester, long requestId) {
    this.transport = transport;
    this.requester = requester;
    this.requestId = requestId;
  }

  @Override
  public void reply(ByteBuffer response) {
    if (response == null) {
      throw new NullPointerException("response");
    }
    if (!answered.compareAndSet(false, true)) {
      throw new IllegalStateException(transport.localNode() + ": request " + requestId + " from " + requester
          + " was already answered; reply() is called once per request");
    }
    transport.respond(requester, Frame.Type.RESPONSE, requestId, response);
  }

  /** Tells the requester that the receiver threw {@code error}, unless it had answered already. */
  void failIfUnanswered(String error) {
    if (answered.compareAndSet(false, true)) {
      transport.respond(requester, Frame.Type.FAILURE, requestId,
          ByteBuffer.wrap(error.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
