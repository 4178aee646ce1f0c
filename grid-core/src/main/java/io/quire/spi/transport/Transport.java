package io.quire.spi.transport;

import io.quire.core.NodeId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Delivers opaque frames between the nodes of a cluster and tells each node the cluster's membership. grid-core
 * speaks to other nodes only through this interface; implementations are the in-JVM transport
 * ({@code io.quire.transport.local}) and the JGroups transport.
 *
 * <p>Guarantees, which every implementation gives and every protocol may rely on (and no more):
 * <ul>
 *   <li><b>At most once.</b> A frame is delivered once or not at all; a lost frame is not retried.
 *   <li><b>FIFO per pair.</b> Frames from one node to another, sent by one thread, are delivered in the order sent,
 *       possibly with gaps. Nothing is promised across pairs.
 *   <li>A simulation can be told to break the two rules above (duplicate, reorder) to prove that a protocol survives
 *       worse networks than the ones it relies on; outside such a fault plan, they hold.
 *   <li><b>Views.</b> {@link #send} and {@link #request} reach only members of {@link #currentView()}.
 *   <li><b>Sending to self is allowed</b> and goes through the same path as any frame: delivered later, on a
 *       transport thread, never on the caller's thread and never inside the call. There is no broadcast, so there is
 *       no implicit loopback: a node receives its own frame only when it addressed itself.
 *   <li><b>Copies.</b> The bytes between a buffer's position and limit are copied before {@code send}/{@code request}
 *       return; the caller may reuse the buffer at once, and its position is not changed.
 * </ul>
 *
 * <p>Lifecycle: create, {@link #start} (joins the cluster: a view with this node is installed), send and request,
 * {@link #close} (leaves). Implementations are safe for use by many threads.
 */
public interface Transport extends AutoCloseable {

  /** This node. */
  NodeId localNode();

  /**
   * The latest view installed at this node; {@link View#empty()} before {@link #start}. It may already show a view
   * whose {@link Receiver#onView} callback has not run yet.
   */
  View currentView();

  /**
   * Joins the cluster and starts delivering to {@code receiver}. Called once.
   *
   * @throws IllegalStateException if already started or closed
   */
  void start(Receiver receiver);

  /**
   * Sends a one-way frame. Never blocks on the network. The frame is dropped, without an error, if {@code to} is not
   * in the current view or the network loses it.
   *
   * @throws TransportClosedException if this transport is closed
   * @throws IllegalStateException if it was not started
   */
  void send(NodeId to, ByteBuffer frame);

  /**
   * Sends a request and returns its response. Never blocks on the network. The future completes exactly once, on a
   * transport thread (do not block in its dependent stages), or before this returns when the request cannot leave;
   * with:
   * <ul>
   *   <li>the response, a buffer owned by the caller;
   *   <li>{@link TransportTimeoutException} when no response arrived within {@code timeout}, measured on the
   *       runtime's clock (virtual time in a simulation);
   *   <li>{@link NodeUnreachableException} when {@code to} is not in the current view, or leaves or crashes before
   *       answering;
   *   <li>{@link RequestFailedException} when the receiver threw instead of answering;
   *   <li>{@link TransportClosedException} when this transport is (or gets) closed.
   * </ul>
   *
   * @throws IllegalStateException if it was not started
   */
  CompletableFuture<ByteBuffer> request(NodeId to, ByteBuffer frame, Duration timeout);

  /**
   * The failure group of {@code node} as this transport learnt it from the membership (a path such as
   * {@code site-a/rack-1}; see {@code Topology}), or empty when it knows none. A transport that carries groups in its
   * views knows the group of every member of its {@link #currentView()}, so the members of one view agree on them;
   * replica placement ranks candidates by it. Any thread.
   */
  default String groupOf(NodeId node) {
    return "";
  }

  /**
   * Leaves the cluster: the other members get a view without this node, pending requests fail with
   * {@link TransportClosedException}, and the receiver gets nothing more. Idempotent.
   */
  @Override
  void close();
}
