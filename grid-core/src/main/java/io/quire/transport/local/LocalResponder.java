package io.quire.transport.local;

import io.quire.core.NodeId;
import io.quire.spi.transport.Responder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/** Answers one request by sending a RESPONSE (or, when the receiver threw, a FAILURE) frame back. */
final class LocalResponder implements Responder {
  private final LocalTransport transport;
  private final NodeId requester;
  private final long requestId;
  // Any thread may answer; the first compareAndSet wins.
  private final AtomicBoolean answered = new AtomicBoolean();

  LocalResponder(LocalTransport transport, NodeId requester, long requestId) {
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
    transport.respond(requester, Envelope.encode(Envelope.Kind.RESPONSE, requestId, response));
  }

  /** Tells the requester that the receiver threw, unless it had answered already. */
  void failIfUnanswered(RuntimeException error) {
    if (answered.compareAndSet(false, true)) {
      ByteBuffer message = ByteBuffer.wrap(String.valueOf(error).getBytes(StandardCharsets.UTF_8));
      transport.respond(requester, Envelope.encode(Envelope.Kind.FAILURE, requestId, message));
    }
  }
}
