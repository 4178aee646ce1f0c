package io.quire.spi.transport;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridScheduler.Cancellable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A transport's requests that await a response, by correlation id: the bookkeeping every {@link Transport}
 * implementation needs to complete each {@link Transport#request} future exactly once.
 *
 * <p>Concurrency: used by any thread (callers, the node's delivery thread, the timer thread, view changes). Whoever
 * removes an entry from {@code byId} completes its future; the others find it gone. That is what makes a duplicated
 * response, or a response racing its timeout, harmless: the future completes once.
 */
public final class PendingRequests {
  private static final class Pending {
    final NodeId to;
    final CompletableFuture<ByteBuffer> future = new CompletableFuture<>();
    volatile Cancellable timeout;

    Pending(NodeId to) {
      this.to = to;
    }

    void cancelTimeout() {
      Cancellable t = timeout;
      if (t != null) {
        t.cancel();
      }
    }
  }

  private final ConcurrentHashMap<Long, Pending> byId = new ConcurrentHashMap<>();

  /** No request awaits yet. */
  public PendingRequests() {}

  /** Records request {@code id} to {@code to}; the returned future is the caller's. */
  public CompletableFuture<ByteBuffer> register(long id, NodeId to) {
    Pending pending = new Pending(to);
    byId.put(id, pending);
    return pending.future;
  }

  /** Attaches the timeout task of request {@code id}, cancelling it if the request already completed. */
  public void armTimeout(long id, Cancellable timeout) {
    Pending pending = byId.get(id);
    if (pending == null) {
      timeout.cancel();
      return;
    }
    pending.timeout = timeout;
    // The request may have completed between get() and the write above, without seeing the timeout.
    if (!byId.containsKey(id)) {
      timeout.cancel();
    }
  }

  /**
   * Completes request {@code id} with a response from {@code from}. Returns false, and does nothing, when the request
   * is unknown, already completed or expired, or was addressed to another node.
   */
  public boolean complete(long id, NodeId from, ByteBuffer response) {
    Pending pending = take(id, from);
    if (pending == null) {
      return false;
    }
    pending.future.complete(response);
    return true;
  }

  /** Fails request {@code id}, as {@link #complete} does. {@code from} null accepts any target. */
  public boolean fail(long id, NodeId from, Throwable cause) {
    Pending pending = take(id, from);
    if (pending == null) {
      return false;
    }
    pending.future.completeExceptionally(cause);
    return true;
  }

  /** Fails, in request-id order (deterministic in a simulation), every request whose target matches. */
  public void failWhere(Predicate<NodeId> target, Function<NodeId, Throwable> cause) {
    List<Long> ids = new ArrayList<>();
    byId.forEach((id, pending) -> {
      if (target.test(pending.to)) {
        ids.add(id);
      }
    });
    ids.sort(null);
    for (long id : ids) {
      Pending pending = byId.get(id);
      if (pending != null) {
        fail(id, null, cause.apply(pending.to));
      }
    }
  }

  /** The number of requests awaiting a response. */
  public int size() {
    return byId.size();
  }

  private Pending take(long id, NodeId from) {
    Pending pending = byId.get(id);
    if (pending == null || (from != null && !pending.to.equals(from)) || !byId.remove(id, pending)) {
      return null;
    }
    pending.cancelTimeout();
    return pending;
  }
}
