package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.coherence.Topology;
import io.quire.core.runtime.GridRuntime;
import io.quire.spi.transport.PendingRequests;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.RequestFailedException;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportClosedException;
import io.quire.spi.transport.TransportException;
import io.quire.spi.transport.TransportTimeoutException;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;

/**
 * grid-core's {@link Transport} over one JGroups {@link JChannel}. Get one from a {@link JGroupsTransportFactory}.
 *
 * <p>Implementation notes.
 * <ul>
 *   <li><b>Identity.</b> The node's {@link NodeId} (fixed by its data directory) rides in its JGroups address, an
 *       {@code ExtendedUUID} generated at connect; views map addresses back to NodeIds ({@link Membership}). A new
 *       incarnation of a node gets a new address with the same NodeId.
 *   <li><b>Frames.</b> Every send is one JGroups unicast {@link BytesMessage} holding our own envelope
 *       ({@link FrameCodec}: magic, version, type, view id, correlation id, payload length). Frames from the wire are
 *       decoded strictly on the JGroups thread that received them; a malformed one is counted, logged and dropped.
 *   <li><b>Requests.</b> Our own correlation ids, not JGroups' {@code MessageDispatcher}: requests, responses and
 *       one-way frames then share one path, one ordering (FIFO per pair across both kinds) and one strict decoder;
 *       timeouts run on the grid's {@link GridRuntime} as the SPI says (one timer task checks every deadline,
 *       {@link RequestTimeouts}, so that a request does not wake the timer thread); and every completion maps to the SPI's
 *       exceptions without translating JGroups' own ({@code SuspectedException}, {@code TimeoutException}, ...).
 *   <li><b>Threads.</b> The {@link Inbox} runs every receiver callback and completes responses, one at a time, in
 *       order: on the JGroups thread that received the frame or view when no other thread is delivering (saving a
 *       thread hand-off on each side of a round trip), otherwise queued for the thread delivering or the inbox's own
 *       thread. Timeouts complete on the runtime's timer thread. Senders never run callbacks: a frame to self always
 *       goes to the inbox's own thread.
 *   <li><b>Views.</b> Each JGroups view becomes a {@link View} whose id is JGroups' view id + 1: JGroups gives a
 *       view the same id at every member and increases it with each view (merges included), so grid-core's
 *       view-tagged protocol messages mean the same view everywhere. Requests to nodes a new view lacks fail as
 *       unreachable.
 * </ul>
 */
public final class JGroupsTransport implements Transport {
  private static final Logger LOG = Logger.getLogger(JGroupsTransport.class.getName());
  private static final int MAX_HELD_FRAMES = 10_000;
  private static final int MAX_ERROR_CHARS = 2_000;

  private enum State { NEW, STARTED, CLOSED }

  /**
   * Counters since the transport was created.
   *
   * @param framesSent frames handed to JGroups (or, to self, to the inbox), including those JGroups refused
   * @param framesDelivered frames handed to the receiver or completing a request (counted before the receiver or the
   *     request's future sees them)
   * @param framesRejected frames from the wire that were not valid frames (dropped)
   * @param framesFromNonMembers valid frames whose sender was not in the view (dropped)
   * @param framesHeldForView frames that waited for their sender's view to be delivered here
   * @param framesDroppedWhileHeld frames dropped because too many waited for a view
   * @param sendFailures frames JGroups refused to send (dropped, like a lost frame)
   */
  public record Stats(long framesSent, long framesDelivered, long framesRejected, long framesFromNonMembers,
      long framesHeldForView, long framesDroppedWhileHeld, long sendFailures) {}

  private final NodeId self;
  private final String group;
  private final JChannel channel;
  private final String clusterName;
  private final GridRuntime runtime;
  private final AutoCloseable ownedRuntime;
  private final PendingRequests pending = new PendingRequests();
  private final AtomicLong lastRequestId = new AtomicLong();
  private final Inbox inbox;
  private final RequestTimeouts timeouts;
  // Moves NEW -> STARTED -> CLOSED (or NEW -> CLOSED) by compareAndSet; read by every thread.
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  // Written before state becomes STARTED, read by the delivering thread (see Inbox) once STARTED.
  private volatile Receiver receiver;
  // The latest view JGroups installed; written by JGroups' view thread, read by senders.
  private volatile Membership installed = Membership.NONE;
  // The group each node carried in the latest view that held it: written by JGroups' view thread (install), read by
  // any thread; lets groupOf answer for a node that has just left (placement may still weigh its former replicas).
  private final Map<NodeId, String> lastKnownGroups = new ConcurrentHashMap<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();

  /**
   * @param group this node's failure group (a group path, or empty for none), carried in its address
   * @param channel a new, unconnected channel; this transport owns it
   * @param ownedRuntime closed with this transport (the runtime's owner), or null when the caller owns the runtime
   */
  JGroupsTransport(NodeId self, String group, JChannel channel, String clusterName, GridRuntime runtime,
      AutoCloseable ownedRuntime) {
    this.self = requireNonNull(self, "self");
    this.group = Topology.requireGroupPath(requireNonNull(group, "group"));
    this.channel = requireNonNull(channel, "channel");
    this.clusterName = requireNonNull(clusterName, "clusterName");
    this.runtime = requireNonNull(runtime, "runtime");
    this.ownedRuntime = ownedRuntime;
    this.inbox = new Inbox(self, new Delivery(), MAX_HELD_FRAMES);
    this.timeouts = new RequestTimeouts(runtime,
        (id, to, timeout) -> pending.fail(id, null, new TransportTimeoutException(self, to, timeout)));
    channel.addAddressGenerator(() -> Membership.addressFor(self, group));
    channel.name(self.toString());
    channel.setReceiver(new ChannelListener());
  }

  @Override
  public NodeId localNode() {
    return self;
  }

  @Override
  public String groupOf(NodeId node) {
    requireNonNull(node, "node");
    if (node.equals(self)) {
      return group;
    }
    String inView = installed.groups().get(node);
    return inView != null ? inView : lastKnownGroups.getOrDefault(node, "");
  }

  @Override
  public View currentView() {
    return installed.view();
  }

  /** The clock and scheduler this transport times its requests with; hand the same to the node it serves. */
  public GridRuntime runtime() {
    return runtime;
  }

  /** The cluster (JGroups cluster name) this transport joins. */
  public String clusterName() {
    return clusterName;
  }

  /** The counters so far. */
  public Stats stats() {
    return new Stats(sent.sum(), delivered.sum(), rejected.sum(), inbox.fromNonMembers(), inbox.heldForView(),
        inbox.droppedHeld(), sendFailures.sum());
  }

  /**
   * Joins the cluster: returns once JGroups has installed a view with this node (after discovery, so up to the
   * stack's join timeout when this node is the first).
   *
   * @throws IllegalStateException if already started or closed
   * @throws TransportException if the channel cannot bind or join
   */
  @Override
  public void start(Receiver receiver) {
    requireNonNull(receiver, "receiver");
    this.receiver = receiver;
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException(self + ": start() was called on a transport that is " + state.get()
          + "; a transport starts once (create a new one to rejoin)");
    }
    try {
      channel.connect(clusterName);
    } catch (Exception e) {
      close();
      throw new TransportException(self + ": could not join cluster '" + clusterName + "': " + e, e);
    }
  }

  @Override
  public void send(NodeId to, ByteBuffer frame) {
    requireNonNull(to, "to");
    requireNonNull(frame, "frame");
    requireStarted("send()");
    Membership current = installed;
    Address target = current.addressOf(to);
    if (target == null) {
      LOG.fine(() -> self + ": dropped a frame to " + to + ", not in view " + current.view().viewId());
      return;
    }
    transmit(to, target, FrameCodec.encode(Frame.Type.MESSAGE, current.view().viewId(), 0, frame));
  }

  @Override
  public CompletableFuture<ByteBuffer> request(NodeId to, ByteBuffer frame, Duration timeout) {
    requireNonNull(to, "to");
    requireNonNull(frame, "frame");
    requireNonNull(timeout, "timeout");
    if (state.get() == State.CLOSED) {
      return CompletableFuture.failedFuture(new TransportClosedException(self, "request() after close()"));
    }
    requireStarted("request()");
    long id = lastRequestId.incrementAndGet();
    // Register before reading the view: a view change that removes `to` after this point fails the request.
    CompletableFuture<ByteBuffer> response = pending.register(id, to);
    if (state.get() == State.CLOSED) {
      // close() may have failed the pending requests just before this one registered.
      pending.fail(id, null, new TransportClosedException(self, "close() was called during request()"));
      return response;
    }
    Membership current = installed;
    Address target = current.addressOf(to);
    if (target == null) {
      pending.fail(id, null, new NodeUnreachableException(self, to, current.view()));
      return response;
    }
    pending.armTimeout(id, timeouts.start(id, to, timeout));
    try {
      transmit(to, target, FrameCodec.encode(Frame.Type.REQUEST, current.view().viewId(), id, frame));
    } catch (TransportClosedException e) {
      pending.fail(id, null, e);
    }
    return response;
  }

  /**
   * Leaves the cluster (JGroups installs a view without this node at the others), fails pending requests with
   * {@link TransportClosedException} and stops the inbox. Idempotent.
   */
  @Override
  public void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.CLOSED) {
      return;
    }
    pending.failWhere(node -> true, node -> new TransportClosedException(self, "close() was called"));
    timeouts.close();
    try {
      channel.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, self + ": closing the JGroups channel failed; closing anyway", e);
    }
    inbox.close();
    if (ownedRuntime != null) {
      try {
        ownedRuntime.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, self + ": closing the runtime failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "JGroupsTransport[" + self + ", cluster " + clusterName + ", " + state.get() + ", view "
        + installed.view().viewId() + "]";
  }

  /* ---- package-private: for the responder and for tests ---- */

  /** The channel, so that tests can put raw bytes on the wire. */
  JChannel channel() {
    return channel;
  }

  /** Sends a RESPONSE or FAILURE frame; dropped if this transport is not running or the requester left. */
  void respond(NodeId requester, Frame.Type type, long requestId, ByteBuffer payload) {
    if (state.get() != State.STARTED) {
      return;
    }
    Membership current = installed;
    Address target = current.addressOf(requester);
    if (target == null) {
      LOG.fine(() -> self + ": dropped the answer to request " + requestId + " from " + requester
          + ", no longer in view " + current.view().viewId());
      return;
    }
    try {
      transmit(requester, target, FrameCodec.encode(type, current.view().viewId(), requestId, payload));
    } catch (TransportClosedException closedMeanwhile) {
      // Closed while answering: the answer is lost, as it would be in a crash.
    }
  }

  /* ---- sending ---- */

  private void transmit(NodeId to, Address target, byte[] bytes) {
    // Counted first: the answer to this frame may complete a future before the send returns.
    sent.increment();
    if (to.equals(self)) {
      try {
        inbox.frameFromSelf(channel.getAddress(), FrameCodec.decode(bytes, 0, bytes.length));
      } catch (MalformedFrameException e) {
        throw new IllegalStateException(self + ": encoded a frame it cannot read: " + e.getMessage(), e);
      }
      return;
    }
    try {
      channel.send(new BytesMessage(target, bytes));
    } catch (Exception e) {
      if (state.get() == State.CLOSED) {
        throw new TransportClosedException(self, "closed while sending");
      }
      sendFailures.increment();
      LOG.log(Level.WARNING, self + ": JGroups refused a " + bytes.length + "-byte frame to " + to
          + "; dropped (a request times out)", e);
    }
  }

  private void requireStarted(String call) {
    State s = state.get();
    if (s == State.CLOSED) {
      throw new TransportClosedException(self, call + " after close()");
    }
    if (s == State.NEW) {
      throw new IllegalStateException(self + ": the transport is not started; call start(receiver) first");
    }
  }

  /* ---- receiving: JGroups' threads ---- */

  /**
   * What JGroups calls. Decodes and hands to the inbox, which may deliver on this thread: the receiver's callbacks
   * only enqueue, as the SPI requires, so grid code never holds a JGroups thread for long.
   */
  private final class ChannelListener implements org.jgroups.Receiver {

    @Override
    public void receive(Message message) {
      if (state.get() != State.STARTED) {
        return;
      }
      Address from = message.getSrc();
      Frame frame;
      try {
        frame = decode(message);
      } catch (MalformedFrameException e) {
        reject(from, e.getMessage());
        return;
      } catch (RuntimeException e) {
        reject(from, "unreadable message: " + e);
        return;
      }
      inbox.frame(from, frame);
    }

    @Override
    public void viewAccepted(org.jgroups.View jgroupsView) {
      if (state.get() == State.CLOSED) {
        return;
      }
      try {
        install(Membership.of(jgroupsView), jgroupsView);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, self + ": could not install JGroups view " + jgroupsView + "; keeping view "
            + installed.view().viewId(), e);
      }
    }

    private Frame decode(Message message) throws MalformedFrameException {
      if (!message.hasArray()) {
        throw new MalformedFrameException(message.hasPayload()
            ? "not a byte-array message (JGroups message type " + message.getType() + ")" : "empty frame");
      }
      return FrameCodec.decode(message.getArray(), message.getOffset(), message.getLength());
    }

    private void reject(Address from, String why) {
      rejected.increment();
      LOG.warning(() -> self + ": rejected a frame from " + from + ": " + why);
    }

    // JGroups installs views one at a time; synchronized all the same, so that the check-then-set below can never
    // interleave and install an older view over a newer one.
    private synchronized void install(Membership next, org.jgroups.View jgroupsView) {
      Membership previous = installed;
      if (next.view().viewId() <= previous.view().viewId()) {
        LOG.warning(() -> self + ": ignored JGroups view " + jgroupsView.getViewId() + ", not newer than view "
            + previous.view().viewId());
        return;
      }
      if (!next.strangers().isEmpty()) {
        LOG.warning(() -> self + ": view " + next.view().viewId() + " has members without a Quire node id, left "
            + "out of the grid's view: " + next.strangers());
      }
      if (!next.superseded().isEmpty()) {
        Level level = next.superseded().contains(channel.getAddress()) ? Level.SEVERE : Level.WARNING;
        LOG.log(level, self + ": view " + next.view().viewId() + " has older incarnations of restarted nodes, "
            + "left out of the grid's view until JGroups suspects them: " + next.superseded());
      }
      for (NodeId member : next.view().members()) {
        String memberGroup = next.groups().get(member);
        if (memberGroup != null) {
          lastKnownGroups.put(member, memberGroup);
        } else {
          lastKnownGroups.remove(member);
        }
      }
      installed = next;
      inbox.view(next);
    }
  }

  /* ---- delivering: whichever thread the inbox lets deliver ---- */

  /** What the inbox calls, one task at a time. */
  private final class Delivery implements Inbox.Target {

    @Override
    public void deliverView(Membership membership) {
      if (state.get() != State.STARTED) {
        return;
      }
      View view = membership.view();
      pending.failWhere(node -> !view.contains(node), node -> new NodeUnreachableException(self, node, view));
      try {
        receiver.onView(view);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, self + ": receiver threw on view " + view.viewId() + "; continuing", e);
      }
    }

    @Override
    public void deliverFrame(NodeId from, Frame frame) {
      if (state.get() != State.STARTED) {
        return;
      }
      switch (frame.type()) {
        case MESSAGE -> {
          delivered.increment();
          try {
            receiver.onMessage(from, frame.payload());
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, self + ": receiver threw on a " + frame.payload().remaining()
                + "-byte frame from " + from + "; frame dropped, transport continues", e);
          }
        }
        case REQUEST -> {
          delivered.increment();
          JGroupsResponder responder = new JGroupsResponder(JGroupsTransport.this, from, frame.correlationId());
          try {
            receiver.onRequest(from, frame.payload(), responder);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, self + ": receiver threw on a request from " + from
                + "; the requester is told, transport continues", e);
            responder.failIfUnanswered(truncate(String.valueOf(e)));
          }
        }
        case RESPONSE -> {
          // Counted first (and taken back if stale): the caller may read the stats as soon as its future completes.
          delivered.increment();
          if (!pending.complete(frame.correlationId(), from, frame.payload())) {
            delivered.decrement();
            LOG.fine(() -> self + ": dropped a response from " + from + " to unknown or expired request "
                + frame.correlationId());
          }
        }
        case FAILURE -> {
          delivered.increment();
          if (!pending.fail(frame.correlationId(), from,
              new RequestFailedException(from, FrameCodec.text(frame.payload())))) {
            delivered.decrement();
          }
        }
      }
    }

    private String truncate(String text) {
      return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
    }
  }
}
