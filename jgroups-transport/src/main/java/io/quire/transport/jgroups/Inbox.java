package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.runtime.SerialMailbox;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jgroups.Address;

/**
 * What hands a transport's views and frames to its receiver, one at a time and in order, and what keeps frames in
 * order with views.
 *
 * <p>JGroups installs a view at each member on its own schedule, so a frame sent by a member that already has view
 * {@code v} can reach a member that does not have it yet (typically: a new member's first frame overtakes the view
 * that announces it). The SPI promises that such a frame is delivered after {@code v}. Every frame carries the view
 * id its sender had installed (see {@link FrameCodec}); a frame whose view id is newer than the last view delivered
 * here is held until that view is delivered, together with every later frame from the same sender (FIFO per pair).
 * A held frame from an address that turns out not to be a member of the view is dropped like any frame from a
 * non-member. At most {@code maxHeld} frames are held; beyond that a frame is dropped (frames may be lost).
 *
 * <p>Which thread delivers: frames from the wire ({@link #frame}) are delivered on the JGroups thread that brings
 * them, when no other thread is delivering at that moment ({@link SerialMailbox#execute}): a hand-off to a thread of
 * our own cost two thread wake-ups per round trip (one on each side), a large part of a cluster read miss. A JGroups
 * thread that finds another thread delivering only enqueues; one delivers at most {@value #MAX_INLINE} tasks before
 * handing the rest to the inbox thread, so that it returns to JGroups soon. Frames to self ({@link #frameFromSelf})
 * always go to the inbox thread, since the SPI promises that no callback runs inside a sender's {@code send} or
 * {@code request}; so do views ({@link #view}).
 *
 * <p>Concurrency: {@link #view}, {@link #frame} and {@link #frameFromSelf} are called by any thread and submit to
 * {@code deliveries}, a serial mailbox: tasks never run concurrently and run in submission order, so the fields marked
 * below need no locks.
 */
final class Inbox {
  private static final Logger LOG = Logger.getLogger(Inbox.class.getName());
  /** Tasks a JGroups thread delivers in one go before it hands the rest to the inbox thread. */
  static final int MAX_INLINE = SerialMailbox.MAX_INLINE;

  /** What the inbox delivers to; called by one thread at a time (see the class comment). */
  interface Target {

    /** {@code membership} is now the delivered view. */
    void deliverView(Membership membership);

    /** A frame from member {@code from} of the delivered view. */
    void deliverFrame(NodeId from, Frame frame);
  }

  private record Held(Address from, Frame frame) {}

  private final String owner;
  private final Target target;
  private final int maxHeld;
  // Runs deliveries on the submitting JGroups thread when idle, else on whichever thread is delivering or its own.
  private final SerialMailbox deliveries;
  private volatile boolean closed;
  private final LongAdder fromNonMembers = new LongAdder();
  private final LongAdder heldForView = new LongAdder();
  private final LongAdder droppedHeld = new LongAdder();

  // Deliverer state: read and written only by the running task of `deliveries`.
  private Membership delivered = Membership.NONE;
  private ArrayDeque<Held> held = new ArrayDeque<>();
  private Set<Address> heldSenders = new HashSet<>();

  /**
   * @param owner the node this inbox delivers for, for log lines and the thread's name
   * @param maxHeld how many frames may wait for their view at once
   */
  Inbox(NodeId owner, Target target, int maxHeld) {
    this.owner = owner.toString();
    this.target = requireNonNull(target, "target");
    this.maxHeld = maxHeld;
    this.deliveries = new SerialMailbox("quire-jgroups-" + owner);
  }

  /**
   * Delivers {@code membership} after everything enqueued before it, on the inbox thread: views are rare, and JGroups
   * installs a node's first view on the thread that calls {@code connect}, the transport's caller. Any thread.
   */
  void view(Membership membership) {
    enqueue(() -> {
      delivered = membership;
      target.deliverView(membership);
      releaseHeld();
    }, false);
  }

  /**
   * Delivers {@code frame} from the wire after everything enqueued before it, on this thread if no other is delivering.
   * JGroups' receiving threads.
   */
  void frame(Address from, Frame frame) {
    enqueue(() -> arrive(from, frame), true);
  }

  /** Delivers a frame this node sent itself after everything enqueued before it, on the inbox thread. Any thread. */
  void frameFromSelf(Address self, Frame frame) {
    enqueue(() -> arrive(self, frame), false);
  }

  /** Whether a thread is delivering now: for tests, which need the inbox idle to see who delivers next. */
  boolean delivering() {
    return deliveries.busy();
  }

  /** Frames dropped because their sender was not a member of the view they were delivered in. */
  long fromNonMembers() {
    return fromNonMembers.sum();
  }

  /** Frames that had to wait for a view. */
  long heldForView() {
    return heldForView.sum();
  }

  /** Frames dropped because too many were waiting for a view. */
  long droppedHeld() {
    return droppedHeld.sum();
  }

  /** Stops delivering: tasks already queued may still run (the transport ignores them); later ones are dropped. */
  void close() {
    closed = true;
    // Tasks already queued still run; close() may run on the inbox thread, from a receiver callback.
    deliveries.shutdown();
  }

  private void enqueue(Runnable task, boolean mayDeliverHere) {
    if (closed) {
      // The transport closed: the frame or view is lost, as it would be on the wire.
      return;
    }
    Runnable logged = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // The target catches the receiver's exceptions; this is a bug of ours. The next task still runs.
        LOG.log(Level.SEVERE, owner + ": delivering a frame or view failed; continuing", e);
      }
    };
    try {
      if (mayDeliverHere) {
        deliveries.execute(logged);
      } else {
        deliveries.executeLater(logged);
      }
    } catch (RejectedExecutionException closedMeanwhile) {
      // The transport closed: what was queued is lost, as it would be on the wire.
    }
  }

  private void arrive(Address from, Frame frame) {
    if (frame.viewId() > delivered.view().viewId() || heldSenders.contains(from)) {
      hold(from, frame);
      return;
    }
    dispatch(from, frame);
  }

  private void hold(Address from, Frame frame) {
    if (held.size() >= maxHeld) {
      droppedHeld.increment();
      LOG.warning(() -> owner + ": dropped a " + frame.type() + " frame from " + from + " for view "
          + frame.viewId() + ": " + maxHeld + " frames already wait for views newer than "
          + delivered.view().viewId());
      return;
    }
    heldForView.increment();
    held.addLast(new Held(from, frame));
    heldSenders.add(from);
  }

  /** Delivers, in arrival order, the held frames whose view has now been delivered, unless an earlier one waits. */
  private void releaseHeld() {
    if (held.isEmpty()) {
      return;
    }
    ArrayDeque<Held> still = new ArrayDeque<>();
    Set<Address> stillSenders = new HashSet<>();
    for (Held h : held) {
      if (stillSenders.contains(h.from()) || h.frame().viewId() > delivered.view().viewId()) {
        still.addLast(h);
        stillSenders.add(h.from());
      } else {
        dispatch(h.from(), h.frame());
      }
    }
    held = still;
    heldSenders = stillSenders;
  }

  private void dispatch(Address from, Frame frame) {
    NodeId node = delivered.nodeOf(from);
    if (node == null) {
      fromNonMembers.increment();
      LOG.fine(() -> owner + ": dropped a " + frame.type() + " frame from " + from + ", not a member of view "
          + delivered.view().viewId());
      return;
    }
    target.deliverFrame(node, frame);
  }
}
