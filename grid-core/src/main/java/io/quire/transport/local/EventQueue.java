package io.quire.transport.local;

import io.quire.core.NodeId;
import java.util.PriorityQueue;

/**
 * The simulation's pending events (frames, views, timers), ordered by (virtual time, sequence number). The sequence
 * number breaks ties in the order events were scheduled, so the order never depends on hashing or threads.
 *
 * <p>Confined to one thread: the first thread that uses the queue owns it, and any other thread gets an
 * {@link IllegalStateException}; a simulation driven from two threads would not be deterministic.
 */
final class EventQueue {

  /** One scheduled event; lost when {@code from} or {@code to} (each nullable) crashes. */
  static final class Event implements Comparable<Event> {
    final long at;
    final long seq;
    final NodeId from;
    final NodeId to;
    final Runnable action;

    Event(long at, long seq, NodeId from, NodeId to, Runnable action) {
      this.at = at;
      this.seq = seq;
      this.from = from;
      this.to = to;
      this.action = action;
    }

    boolean involves(NodeId node) {
      return node.equals(from) || node.equals(to);
    }

    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }

  private final SimClock clock;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long nextSeq;
  private Thread owner;

  EventQueue(SimClock clock) {
    this.clock = clock;
  }

  /** Schedules {@code action} {@code delayNanos} from now, on behalf of {@code from} and {@code to} (nullable). */
  Event add(long delayNanos, NodeId from, NodeId to, Runnable action) {
    confine();
    Event event = new Event(Math.addExact(clock.nanos(), Math.max(0, delayNanos)), nextSeq++, from, to, action);
    queue.add(event);
    return event;
  }

  /** Unschedules {@code event}; false if it already ran or was removed. */
  boolean remove(Event event) {
    confine();
    return queue.remove(event);
  }

  /** Drops every event from or to {@code node}: its frames in flight and its timers. */
  void purge(NodeId node) {
    confine();
    queue.removeIf(event -> event.involves(node));
  }

  /** The time of the next event, or -1 when there is none. */
  long nextAt() {
    confine();
    Event next = queue.peek();
    return next == null ? -1 : next.at;
  }

  /** Advances the clock to the next event and runs it; false when there is none. */
  boolean runNext() {
    confine();
    Event next = queue.poll();
    if (next == null) {
      return false;
    }
    clock.advanceTo(next.at);
    next.action.run();
    return true;
  }

  int size() {
    return queue.size();
  }

  private void confine() {
    Thread current = Thread.currentThread();
    if (owner == null) {
      owner = current;
    } else if (owner != current) {
      throw new IllegalStateException("a simulation runs on one thread (" + owner.getName() + "), not on "
          + current.getName() + "; complete futures and reply from simulation callbacks or timers instead");
    }
  }
}
