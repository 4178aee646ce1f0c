package io.quire.spi.transport;

import io.quire.core.NodeId;
import java.nio.ByteBuffer;

/**
 * What a node gives its {@link Transport} to be told about frames and views.
 *
 * <p>Callbacks must not block: they run on a transport thread that delivers every frame for this node (or, in a
 * simulation, on the simulation's only thread), so a blocked callback stalls all of the node's traffic. Never wait
 * for the network or for another node there; short local work (the coherence engine's, which may write a page to
 * disk) is fine, longer work is enqueued. Callbacks for one node are never concurrent with each other and never
 * run inside a call to {@link Transport#send} or {@link Transport#request} (on real threads: never on the caller's
 * thread).
 *
 * <p>Every buffer passed in belongs to the receiver: it is a copy that no one else reads or writes, so it may be kept.
 * An exception thrown by a callback is logged and the frame is dropped; the transport keeps running.
 */
public interface Receiver {

  /** A one-way frame from {@code from}. */
  void onMessage(NodeId from, ByteBuffer frame);

  /**
   * A request from {@code from}. Answer it exactly once through {@code responder}, now or later; a request left
   * unanswered makes the requester time out. If this method throws before answering, the requester's future fails
   * with {@link RequestFailedException}.
   */
  void onRequest(NodeId from, ByteBuffer frame, Responder responder);

  /**
   * A new view was installed. Views arrive in {@link View#viewId} order, in order with frames: a frame sent after the
   * sender saw a view is delivered after that view. The first view a node receives contains the node itself.
   */
  void onView(View view);
}
