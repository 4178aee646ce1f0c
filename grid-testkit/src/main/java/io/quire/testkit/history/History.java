package io.quire.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A thread-safe recorder of operations on registers, for {@link LinearizabilityChecker}. One register is one page,
 * named by any key with value equality (a {@code GlobalAddress}, say).
 *
 * <p>Record each operation twice: {@link #invoke} just before the client sends it, then one of the response methods
 * just after the client learns its outcome. Times come from the caller (virtual time in a simulation,
 * {@link System#nanoTime()} with real threads); the checker only compares them. Operation A precedes B iff A's
 * response time is strictly before B's invocation time, so record the invocation before the request can act and the
 * response after it has acted.
 *
 * <pre>{@code
 * long id = history.invoke(client, page, Op.write(7), clock.now());
 * try { grid.write(page, 7); history.ok(id, clock.now()); }
 * catch (TimeoutException e) { history.unknown(id); }       // it may still land later
 * }</pre>
 *
 * <p>A client is sequential: it must finish (or give up on) one operation before invoking the next.
 *
 * @param <K> the register key type
 */
public final class History<K> {

  private final List<Operation<K>> operations = new ArrayList<>();
  private final Map<Integer, Long> inFlight = new HashMap<>();

  /**
   * Records an invocation.
   *
   * @return the operation id to pass to the response method
   * @throws IllegalStateException if the client already has an operation in flight
   */
  public synchronized long invoke(int clientId, K key, Op op, long time) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(op, "op");
    Long previous = inFlight.get(clientId);
    if (previous != null) {
      throw new IllegalStateException("client " + clientId + " invoked " + op + " on " + key
          + " while " + operations.get(previous.intValue()).describe() + " is in flight; respond to it first");
    }
    long id = operations.size();
    operations.add(new Operation<>(id, clientId, key, op, time, Operation.Status.PENDING, 0, Long.MAX_VALUE));
    inFlight.put(clientId, id);
    return id;
  }

  /** Records that write {@code id} was acknowledged at {@code time}. */
  public synchronized void ok(long id, long time) {
    Operation<K> o = pending(id);
    requireKind(o, Op.Write.class, "ok(id, time) is for writes");
    complete(o, Operation.Status.OK, 0, time);
  }

  /** Records that read {@code id} returned {@code value} at {@code time}. */
  public synchronized void ok(long id, long value, long time) {
    Operation<K> o = pending(id);
    requireKind(o, Op.Read.class, "ok(id, value, time) is for reads");
    complete(o, Operation.Status.OK, value, time);
  }

  /** Records that CAS {@code id} answered at {@code time}, and whether it swapped. */
  public synchronized void ok(long id, boolean swapped, long time) {
    Operation<K> o = pending(id);
    requireKind(o, Op.Cas.class, "ok(id, swapped, time) is for compare-and-set");
    complete(o, Operation.Status.OK, swapped ? 1 : 0, time);
  }

  /**
   * Records that the outcome of {@code id} is unknown (timeout, crash, lost connection): it may or may not have taken
   * effect, at any time after its invocation. The client may invoke again.
   */
  public synchronized void unknown(long id) {
    complete(pending(id), Operation.Status.UNKNOWN, 0, Long.MAX_VALUE);
  }

  /** Records that {@code id} definitely had no effect (for example, rejected before it was sent). */
  public synchronized void failed(long id) {
    complete(pending(id), Operation.Status.FAILED, 0, Long.MAX_VALUE);
  }

  /** A snapshot of every operation so far, in invocation-call order (ids are indexes). */
  public synchronized List<Operation<K>> operations() {
    return List.copyOf(operations);
  }

  /** The number of operations recorded so far. */
  public synchronized int size() {
    return operations.size();
  }

  private Operation<K> pending(long id) {
    if (id < 0 || id >= operations.size()) {
      throw new IllegalArgumentException("no operation with id " + id);
    }
    Operation<K> o = operations.get((int) id);
    if (o.status() != Operation.Status.PENDING) {
      throw new IllegalStateException(o.describe() + " already has a response");
    }
    return o;
  }

  private static void requireKind(Operation<?> o, Class<? extends Op> kind, String message) {
    if (!kind.isInstance(o.op())) {
      throw new IllegalArgumentException(message + ", not " + o.describe());
    }
  }

  private void complete(Operation<K> o, Operation.Status status, long result, long time) {
    if (status == Operation.Status.OK && time < o.invokeTime()) {
      throw new IllegalArgumentException("response time " + time + " is before the invocation time "
          + o.invokeTime() + " of " + o.describe());
    }
    operations.set((int) o.id(), o.completed(status, result, time));
    inFlight.remove(o.clientId());
  }
}
