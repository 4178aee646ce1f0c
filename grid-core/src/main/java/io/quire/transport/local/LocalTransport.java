package io.quire.transport.local;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.spi.transport.PendingRequests;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.RequestFailedException;
import io.quire.spi.transport.TransportClosedException;
import io.quire.spi.transport.TransportTimeoutException;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's end of a {@link LocalNetwork}: an in-JVM {@link io.quire.spi.transport.Transport}. Get one from
 * {@link LocalNetwork#transport}. Requests are frames with a correlation id (see {@link Envelope}); their timeouts run
 * on the network's runtime, so in a simulation they expire in virtual time.
 */
public final class LocalTransport implements io.quire.spi.transport.Transport {
  private static final Logger LOG = Logger.getLogger(LocalTransport.class.getName());

  private enum State { NEW, STARTED, CLOSED }

  private final LocalNetwork network;
  private final NodeId self;
  private final GridRuntime runtime;
  private final PendingRequests pending = new PendingRequests();
  private final AtomicLong lastRequestId = new AtomicLong();
  // Moves NEW -> STARTED -> CLOSED (or NEW -> CLOSED) by compareAndSet; read by every thread.
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  // Written before state becomes STARTED, read only when STARTED.
  private volatile Receiver receiver;
  // Written by the network under its membership lock; read by any thread.
  private volatile View view = View.empty();

  LocalTransport(LocalNetwork network, NodeId self, GridRuntime runtime) {
    this.network = network;
    this.self = self;
    this.runtime = runtime;
  }

  @Override
  public NodeId localNode() {
    return self;
  }

  @Override
  public View currentView() {
    return view;
  }

  /** The clock and scheduler this transport times its requests with. */
  public GridRuntime runtime() {
    return runtime;
  }

  /** True until {@link #close} (or a crash in a simulation). */
  public boolean isOpen() {
    return state.get() != State.CLOSED;
  }

  @Override
  public void start(Receiver receiver) {
    requireNonNull(receiver, "receiver");
    this.receiver = receiver;
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException(self + ": start() was called on a transport that is " + state.get()
          + "; a transport starts once (get a new one from the network to rejoin)");
    }
    network.join(this);
  }

  @Override
  public void send(NodeId to, ByteBuffer frame) {
    requireNonNull(to, "to");
    requireNonNull(frame, "frame");
    requireStarted();
    if (!view.contains(to)) {
      LOG.fine(() -> self + ": dropped a frame to " + to + ", not in view " + view.viewId());
      return;
    }
    network.route(self, to, Envelope.encode(Envelope.Kind.MESSAGE, 0, frame));
  }

  @Override
  public CompletableFuture<ByteBuffer> request(NodeId to, ByteBuffer frame, Duration timeout) {
    requireNonNull(to, "to");
    requireNonNull(frame, "frame");
    requireNonNull(timeout, "timeout");
    if (state.get() == State.CLOSED) {
      return CompletableFuture.failedFuture(new TransportClosedException(self, "request() after close()"));
    }
    requireStarted();
    long id = lastRequestId.incrementAndGet();
    // Register before reading the view: a view change that removes `to` after this point fails the request.
    CompletableFuture<ByteBuffer> response = pending.register(id, to);
    View current = view;
    if (!current.contains(to)) {
      pending.fail(id, null, new NodeUnreachableException(self, to, current));
      return response;
    }
    pending.armTimeout(id, runtime.scheduler().schedule(
        () -> pending.fail(id, null, new TransportTimeoutException(self, to, timeout)), timeout));
    network.route(self, to, Envelope.encode(Envelope.Kind.REQUEST, id, frame));
    return response;
  }

  @Override
  public void close() {
    if (shutDown("close() was called")) {
      network.leave(this);
    }
  }

  @Override
  public String toString() {
    return "LocalTransport[" + self + ", " + state.get() + ", view " + view.viewId() + "]";
  }

  /* ---- called by the network and the medium ---- */

  /**
   * Stops sending and receiving and fails pending requests. Returns true when the transport was started, i.e. when
   * its node must now leave the membership.
   */
  boolean shutDown(String why) {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.CLOSED) {
      return false;
    }
    pending.failWhere(node -> true, node -> new TransportClosedException(self, why));
    return before == State.STARTED;
  }

  boolean isStarted() {
    return state.get() == State.STARTED;
  }

  /** Makes {@code newView} current. Under the network's membership lock. */
  void installView(View newView) {
    view = newView;
  }

  /** Fails the requests to nodes that {@code newView} lacks. Outside the network's lock: futures run user code. */
  void failRequestsOutside(View newView) {
    pending.failWhere(node -> !newView.contains(node), node -> new NodeUnreachableException(self, node, newView));
  }

  /** Sends a response frame; dropped if this transport closed or the requester left meanwhile. */
  void respond(NodeId requester, byte[] frame) {
    if (state.get() == State.STARTED && view.contains(requester)) {
      network.route(self, requester, frame);
    }
  }

  /** Delivers one frame from {@code from}. On the node's delivery thread. */
  void receive(NodeId from, byte[] frame) {
    if (state.get() != State.STARTED) {
      return;
    }
    Envelope.Decoded decoded;
    try {
      decoded = Envelope.decode(frame);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, self + ": dropped a frame from " + from + ": " + e.getMessage());
      return;
    }
    switch (decoded.kind()) {
      case MESSAGE -> deliverMessage(from, decoded, frame.length);
      case REQUEST -> deliverRequest(from, decoded, frame.length);
      case RESPONSE -> {
        if (!pending.complete(decoded.requestId(), from, decoded.payload())) {
          LOG.fine(() -> self + ": dropped a response from " + from + " to unknown or expired request "
              + decoded.requestId());
        }
      }
      case FAILURE -> pending.fail(decoded.requestId(), from,
          new RequestFailedException(from, StandardCharsets.UTF_8.decode(decoded.payload()).toString()));
    }
  }

  /** Delivers a view to the receiver. On the node's delivery thread. */
  void receiveView(View newView) {
    if (state.get() != State.STARTED) {
      return;
    }
    try {
      receiver.onView(newView);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, self + ": receiver threw on view " + newView.viewId() + "; continuing", e);
    }
  }

  private void deliverMessage(NodeId from, Envelope.Decoded decoded, int size) {
    try {
      receiver.onMessage(from, decoded.payload());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, self + ": receiver threw on a " + size + "-byte frame from " + from
          + "; frame dropped, network continues", e);
    }
  }

  private void deliverRequest(NodeId from, Envelope.Decoded decoded, int size) {
    LocalResponder responder = new LocalResponder(this, from, decoded.requestId());
    try {
      receiver.onRequest(from, decoded.payload(), responder);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, self + ": receiver threw on a " + size + "-byte request from " + from
          + "; the requester is told, network continues", e);
      responder.failIfUnanswered(e);
    }
  }

  private void requireStarted() {
    State s = state.get();
    if (s == State.CLOSED) {
      throw new TransportClosedException(self, "send() after close()");
    }
    if (s == State.NEW) {
      throw new IllegalStateException(self + ": the transport is not started; call start(receiver) first");
    }
  }
}
