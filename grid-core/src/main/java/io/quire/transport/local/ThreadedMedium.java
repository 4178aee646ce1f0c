package io.quire.transport.local;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.core.runtime.SystemRuntime;
import io.quire.spi.transport.View;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers on one single-thread executor per transport (its inbox), so a receiver's callbacks are serial, FIFO per
 * sender thread, and never on the sender's thread. Timeouts run on a {@link SystemRuntime}.
 */
final class ThreadedMedium implements Medium {
  private final SystemRuntime system = SystemRuntime.start();
  // Keyed by transport identity (a restarted node is a new transport): added by opened(), removed by closed().
  private final ConcurrentHashMap<LocalTransport, ExecutorService> inboxes = new ConcurrentHashMap<>();

  @Override
  public GridRuntime runtime(NodeId node) {
    return system.runtime();
  }

  @Override
  public void opened(LocalTransport transport) {
    inboxes.put(transport, Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "quire-local-" + transport.localNode());
      thread.setDaemon(true);
      return thread;
    }));
  }

  @Override
  public void frame(NodeId from, LocalTransport to, byte[] frame) {
    post(to, () -> to.receive(from, frame));
  }

  @Override
  public void view(LocalTransport member, View view) {
    post(member, () -> member.receiveView(view));
  }

  @Override
  public void closed(LocalTransport transport) {
    ExecutorService inbox = inboxes.remove(transport);
    if (inbox != null) {
      // Not shutdownNow: close() may run on this very inbox thread, from a callback.
      inbox.shutdown();
    }
  }

  @Override
  public void close() {
    inboxes.keySet().forEach(this::closed);
    system.close();
  }

  private void post(LocalTransport to, Runnable delivery) {
    ExecutorService inbox = inboxes.get(to);
    if (inbox == null) {
      return;
    }
    try {
      inbox.execute(delivery);
    } catch (RejectedExecutionException closedMeanwhile) {
      // The transport closed after the lookup: the frame is lost, as it would be on a real network.
    }
  }
}
