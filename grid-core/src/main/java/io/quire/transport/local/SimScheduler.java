package io.quire.transport.local;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridScheduler;
import java.time.Duration;

/**
 * Runs tasks in a {@link Simulation}'s virtual time, as events of its queue. A scheduler made for a node loses its
 * pending tasks when that node crashes, as a real process loses its timers.
 *
 * <p>Confined to the simulation's thread.
 */
public final class SimScheduler implements GridScheduler {
  private final EventQueue queue;
  private final NodeId node;

  SimScheduler(EventQueue queue, NodeId node) {
    this.queue = queue;
    this.node = node;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    EventQueue.Event event = queue.add(delay.toNanos(), node, null, task);
    return () -> queue.remove(event);
  }
}
