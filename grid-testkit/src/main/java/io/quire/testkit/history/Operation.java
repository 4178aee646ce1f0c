package io.quire.testkit.history;

import java.util.Objects;

/**
 * One recorded operation: its invocation and, once known, its response. Immutable; {@link History} replaces the
 * record when the response arrives.
 *
 * @param id the id {@link History#invoke} returned
 * @param clientId the client that issued it; a client has at most one operation in flight
 * @param key the register (page) it addressed
 * @param op what it asked for
 * @param invokeTime when it was invoked, in the caller's clock
 * @param status whether and how it completed
 * @param result the value read, or for a CAS 1 if it swapped and 0 if not; 0 otherwise
 * @param responseTime when the response arrived; {@link Long#MAX_VALUE} unless {@link Status#OK}
 * @param <K> the register key type
 */
public record Operation<K>(long id, int clientId, K key, Op op, long invokeTime, Status status, long result,
    long responseTime) {

  /** How an operation ended. */
  public enum Status {
    /** No response yet; checked as {@link #UNKNOWN}, since it may have taken effect. */
    PENDING,
    /** Completed with a definite result. */
    OK,
    /** Timed out or crashed: it may or may not have taken effect, at any time after its invocation. */
    UNKNOWN,
    /** Definitely had no effect (rejected before it could apply); the checker ignores it. */
    FAILED
  }

  /** Validates the fields. */
  public Operation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(status, "status");
  }

  /** True if its outcome is open: it may have taken effect, and is concurrent with everything after its invocation. */
  public boolean isIndefinite() {
    return status == Status.PENDING || status == Status.UNKNOWN;
  }

  /** A compact one-line description, e.g. {@code #7 c2 read -> 5}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append('#').append(id).append(" c").append(clientId).append(' ').append(op);
    switch (status) {
      case OK -> {
        if (op instanceof Op.Read) {
          sb.append(" -> ").append(result);
        } else if (op instanceof Op.Cas) {
          sb.append(result != 0 ? " -> swapped" : " -> not swapped");
        } else {
          sb.append(" -> ok");
        }
      }
      case PENDING, UNKNOWN -> sb.append(" -> ?");
      case FAILED -> sb.append(" -> failed");
      default -> throw new AssertionError(status);
    }
    return sb.toString();
  }

  Operation<K> completed(Status newStatus, long newResult, long newResponseTime) {
    return new Operation<>(id, clientId, key, op, invokeTime, newStatus, newResult, newResponseTime);
  }
}
