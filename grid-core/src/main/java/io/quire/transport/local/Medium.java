package io.quire.transport.local;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.spi.transport.View;

/**
 * How a {@link LocalNetwork} moves frames and views to a transport: on per-node threads ({@link ThreadedMedium}) or
 * through a virtual-time event queue ({@link SimulatedMedium}). The network decides who is a member and where a frame
 * goes; the medium decides when (and, in a simulation, whether) it arrives.
 */
interface Medium {

  /** The runtime of the transports of {@code node}. */
  GridRuntime runtime(NodeId node);

  /** {@code transport} is starting: prepare to deliver to it. */
  void opened(LocalTransport transport);

  /** Delivers {@code frame}, which the medium now owns, from {@code from} to {@code to}, later. */
  void frame(NodeId from, LocalTransport to, byte[] frame);

  /** Delivers {@code view} to {@code member}'s receiver, later, after the frames already queued for it. */
  void view(LocalTransport member, View view);

  /** {@code transport} is closed: release what {@link #opened} took. */
  void closed(LocalTransport transport);

  /** The network is closed. */
  void close();
}
