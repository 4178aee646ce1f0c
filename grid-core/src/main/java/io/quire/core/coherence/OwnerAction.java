package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.core.page.Page;
import io.quire.core.runtime.GridScheduler;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A write or hand-off in progress at the owner: the next version of the page and the acknowledgements it waits for.
 * Engine-thread only, like the {@link PageState} that holds it.
 */
final class OwnerAction {
  /** What completes when the acknowledgements are in. */
  enum Kind {
    /** Commit a new version. */
    WRITE,
    /** Hand ownership to another node. */
    HANDOFF,
    /** Bring new replicas up to the current version (after a failure), before the page serves requests again. */
    REPLICATE
  }

  final Kind kind;
  /** The version being committed, or the page as it will be handed over. */
  final Page next;
  /** The write request that made {@link #next}, told to replicas; null for local writes and hand-offs. */
  final io.quire.core.message.CoherenceMessage.Applied applied;
  /** Read copies still to be invalidated. */
  final Set<NodeId> awaitingInvalidation = new LinkedHashSet<>();
  /** Replicas still to acknowledge {@link #next}. */
  final Set<NodeId> awaitingReplicas = new LinkedHashSet<>();
  /** Runs on the engine thread once nothing is awaited. */
  final Runnable onDone;
  GridScheduler.Cancellable retransmit;

  OwnerAction(Kind kind, Page next, io.quire.core.message.CoherenceMessage.Applied applied, Runnable onDone) {
    this.kind = kind;
    this.next = next;
    this.applied = applied;
    this.onDone = onDone;
  }

  boolean complete() {
    return awaitingInvalidation.isEmpty() && awaitingReplicas.isEmpty();
  }

  @Override
  public String toString() {
    return kind + " v" + next.version() + " awaiting " + awaitingInvalidation + "/" + awaitingReplicas;
  }
}
