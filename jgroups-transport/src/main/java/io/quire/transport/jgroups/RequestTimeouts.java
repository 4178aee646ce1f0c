package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.core.runtime.GridScheduler.Cancellable;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deadlines of a transport's requests, checked by one timer task at a time rather than one per request.
 *
 * <p>Why: a timer task per request made every request wake the runtime's timer thread (a new earliest task becomes the
 * head of the timer's queue, which signals the thread to re-arm), a thread wake-up on the round trip's path on a
 * machine with few cores, and almost always for nothing, since nearly every request is answered long before its
 * timeout. Here a request only records its deadline; a check is scheduled only when the new deadline is earlier than
 * the one the armed check runs at (with one common timeout: once per timeout period, not once per request). The
 * check fails every request whose deadline has passed and re-arms for the earliest one left, so each request still
 * times out at its own deadline, as the SPI says.
 *
 * <p>Concurrency: any thread starts and cancels deadlines ({@code byId} is concurrent; a deadline is removed by
 * whoever removes it first: the request's completion or the check). {@code armedAt} and {@code armed} are guarded by
 * {@code this}. A deadline is put in {@code byId} before the lock is taken to arm for it, and the check clears
 * {@code armed} under the lock before it scans: so a deadline that found a check armed early enough is seen by that
 * check's scan, and one that did not arms a check itself.
 */
final class RequestTimeouts {
  /** What a check does with a request whose deadline passed: fail it (a no-op if it completed meanwhile). */
  interface Expiry {
    void expired(long requestId, NodeId to, Duration timeout);
  }

  // Beyond this a timeout never fires in practice; keeps clock arithmetic from overflowing.
  private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

  private final GridRuntime runtime;
  private final Expiry expiry;
  private final ConcurrentHashMap<Long, Deadline> byId = new ConcurrentHashMap<>();
  private boolean armedFor;
  private long armedAt;
  private Cancellable armed;
  private boolean closed;

  RequestTimeouts(GridRuntime runtime, Expiry expiry) {
    this.runtime = requireNonNull(runtime, "runtime");
    this.expiry = requireNonNull(expiry, "expiry");
  }

  /**
   * Starts request {@code requestId}'s deadline, {@code timeout} from now.
   *
   * @return cancels the deadline (on completion); hand it to {@code PendingRequests.armTimeout}
   */
  Cancellable start(long requestId, NodeId to, Duration timeout) {
    long nanos = timeout.compareTo(Duration.ofNanos(MAX_TIMEOUT_NANOS)) >= 0 ? MAX_TIMEOUT_NANOS
        : Math.max(0, timeout.toNanos());
    Deadline deadline = new Deadline(requestId, to, timeout, runtime.clock().nanos() + nanos);
    byId.put(requestId, deadline);
    armBy(deadline.at);
    return deadline;
  }

  /** How many deadlines are running: for tests. */
  int size() {
    return byId.size();
  }

  /** Cancels the armed check; deadlines started later are not checked. */
  synchronized void close() {
    closed = true;
    if (armed != null) {
      armed.cancel();
      armed = null;
    }
    armedFor = false;
  }

  private synchronized void armBy(long at) {
    if (closed || (armedFor && armedAt - at <= 0)) {
      return;
    }
    if (armed != null) {
      armed.cancel();
    }
    armedFor = true;
    armedAt = at;
    long delay = Math.max(0, at - runtime.clock().nanos());
    armed = runtime.scheduler().schedule(this::check, Duration.ofNanos(delay));
  }

  private void check() {
    synchronized (this) {
      armedFor = false;
      armed = null;
    }
    long now = runtime.clock().nanos();
    boolean any = false;
    long earliest = 0;
    for (Deadline d : byId.values()) {
      if (d.at - now <= 0) {
        if (byId.remove(d.requestId, d)) {
          expiry.expired(d.requestId, d.to, d.timeout);
        }
      } else if (!any || d.at - earliest < 0) {
        any = true;
        earliest = d.at;
      }
    }
    if (any) {
      armBy(earliest);
    }
  }

  /** One request's deadline; cancelling it takes it out of the checks. */
  private final class Deadline implements Cancellable {
    final long requestId;
    final NodeId to;
    final Duration timeout;
    final long at;

    Deadline(long requestId, NodeId to, Duration timeout, long at) {
      this.requestId = requestId;
      this.to = to;
      this.timeout = timeout;
      this.at = at;
    }

    @Override
    public boolean cancel() {
      return byId.remove(requestId, this);
    }
  }
}
