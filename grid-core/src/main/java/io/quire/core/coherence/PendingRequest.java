package io.quire.core.coherence;

import io.quire.core.address.GlobalAddress;
import io.quire.core.memory.PageUpdate;
import io.quire.core.message.PageOp;
import io.quire.core.runtime.GridScheduler;
import java.util.concurrent.CompletableFuture;

/** A request this node sent and awaits the answer to. Engine-thread only. */
final class PendingRequest {
  /** What the request is for. */
  enum Kind {
    /** A read copy. */
    READ,
    /** A write the owner may apply remotely ({@link #op}). */
    WRITE,
    /** Ownership, to apply {@link #update} here. */
    UPDATE,
    /** Ownership, to hold the page locked here. */
    LOCK
  }

  final long id;
  /** Issue order on this node, so requests re-run locally keep the order they were made in. */
  final long sequence;
  final Kind kind;
  final GlobalAddress page;
  final PageOp op;
  final PageUpdate update;
  final CompletableFuture<Object> future;
  int attempts;
  GridScheduler.Cancellable retry;

  PendingRequest(long id, long sequence, Kind kind, GlobalAddress page, PageOp op, PageUpdate update,
      CompletableFuture<Object> future) {
    this.id = id;
    this.sequence = sequence;
    this.kind = kind;
    this.page = page;
    this.op = op;
    this.update = update;
    this.future = future;
  }
}
