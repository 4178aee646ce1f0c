package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.jgroups.Address;

/**
 * The one thread that hands a transport's views and frames to its receiver, in order, and what keeps frames in order
 * with views.
 *
 * <p>JGroups installs a view at each member on its own schedule, so a frame sent by a member that already has view
 * {@code v} can reach a member that does not have it yet (typically: a new member's first frame overtakes the view
 * that announces it). The SPI promises that such a frame is delivered after {@code v}. Every frame carries the view
 * id its sender had installed (see {@link FrameCodec}); a frame whose view id is newer than the last view delivered
 * here is held until that view is delivered, together with every later frame from the same sender (FIFO per pair).
 * A held frame from an address that turns out not to be a member of the view is dropped like any frame from a
 * non-member. At most {@code maxHeld} frames are held; beyond that a frame is dropped (frames may be lost).
 *
 * <p>Concurrency: {@link #view} and {@link #frame} are called by any thread (JGroups' threads, senders to self);
 * they only enqueue. Everything else runs on the inbox thread, so its fields need no locks.
 */
final class Inbox {
  private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

  /** What the inbox delivers to; called on the inbox thread only. */
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
  private final ExecutorService thread;
  private final LongAdder fromNonMembers = new LongAdder();
  private final LongAdder heldForView = new LongAdder();
  private final LongAdder droppedHeld = new LongAdder();

  // Inbox-thread state.
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
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "quire-jgroups-" + owner);
      t.setDaemon(true);
      return t;
    });
  }

  /** Delivers {@code membership} after everything enqueued before it. Any thread. */
  void view(Membership membership) {
    post(() -> {
      delivered = membership;
      target.deliverView(membership);
      releaseHeld();
    });
  }

  /** Delivers {@code frame} from {@code from} after everything enqueued before it. Any thread. */
  void frame(Address from, Frame frame) {
    post(() -> arrive(from, frame));
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

  /** Stops the thread after the tasks already queued; what arrives later is dropped. */
  void close() {
    // Not shutdownNow: close() may run on this very thread, from a receiver callback.
    thread.shutdown();
  }

  private void post(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException closed) {
      // The transport closed: the frame or view is lost, as it would be on the wire.
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
