package io.quire.jcache;

import static java.util.Objects.requireNonNull;

/**
 * Whether a manager's grid node holds its pages {@code k} times now, for health endpoints. A page can have no more
 * copies than there are members, so a view smaller than {@code k} (one node, or a cluster that lost nodes) is
 * satisfied with a copy on every member, and {@link #limitedByMembers()} says so.
 *
 * @param k the replication factor the grid runs with
 * @param members members of the node's current view (1 on a single node)
 * @param state satisfied, pending (a view change or the copies after it are in progress), or unknown (the node did
 *     not answer in time)
 */
public record ReplicationStatus(int k, int members, State state) {

  /** Where the node is with its copies. */
  public enum State {
    /** Every page this node owns has {@link #copies()} copies at its current version, and no view change is open. */
    SATISFIED,
    /** A view change, or the copies it calls for, is in progress: a failure now may lose the newest writes. */
    PENDING,
    /** The node's engine did not answer in time (busy or closing). */
    UNKNOWN
  }

  /** Checks the figures. */
  public ReplicationStatus {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, not " + k);
    }
    if (members < 0) {
      throw new IllegalArgumentException("members must not be negative, not " + members);
    }
    requireNonNull(state, "state");
  }

  /** True when the state is {@link State#SATISFIED}. */
  public boolean satisfied() {
    return state == State.SATISFIED;
  }

  /** The copies each page can have in the current view: {@code k}, or the number of members when fewer. */
  public int copies() {
    return Math.min(k, members);
  }

  /** True when the view has fewer members than {@code k}, so each page has fewer than {@code k} copies. */
  public boolean limitedByMembers() {
    return members < k;
  }

  /** For example {@code k=2, 3 members: satisfied} or {@code k=2, 1 member: copies limited by members, satisfied}. */
  @Override
  public String toString() {
    return "k=" + k + ", " + members + (members == 1 ? " member: " : " members: ")
        + (limitedByMembers() ? "copies limited by members, " : "") + state.name().toLowerCase(java.util.Locale.ROOT);
  }
}
