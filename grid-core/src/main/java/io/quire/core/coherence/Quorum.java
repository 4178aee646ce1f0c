package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.spi.transport.View;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The partition rule ({@code docs/design/coherence.md}, "Partitions"): which views may serve pages. A node cannot tell
 * a crashed peer from one behind a broken link, so when both sides of a split install views of their own, only one
 * side may go on: the one holding a majority of the <em>primary set</em>, the members of the last view that was
 * itself allowed to go on, less those that announced a graceful leave. A tie (an even split) goes to the side
 * holding the primary set's lowest id, so both sides of a split reach opposite verdicts from the same history.
 *
 * <p>The first view a node installs is always primary: it has either started the cluster or joined a running one
 * (a node that starts alone beside a running cluster it cannot reach is not protected against; see the design).
 *
 * <p>Guarded by its own monitor: views arrive on the transport's thread, leave notices on the engine's.
 */
final class Quorum {
  private static final Comparator<NodeId> ORDER = (a, b) -> Long.compareUnsigned(a.value(), b.value());

  /** The members of the last primary view, less announced leavers; empty before the first view. */
  private final Set<NodeId> primary = new HashSet<>();
  /** Nodes that announced a graceful leave and may still be in the view: they never count again. */
  private final Set<NodeId> departing = new HashSet<>();
  private boolean started;

  /**
   * Whether {@code view} may serve pages, recording it as the new primary view when it may. A view that may not
   * leaves the primary set as it was, so a later merge is judged against the view before the split.
   */
  synchronized boolean admit(View view) {
    departing.retainAll(view.members());
    if (!started || hasQuorum(view)) {
      started = true;
      primary.clear();
      primary.addAll(view.members());
      primary.removeAll(departing);
      return true;
    }
    return false;
  }

  private boolean hasQuorum(View view) {
    if (primary.isEmpty()) {
      return true;
    }
    int present = 0;
    for (NodeId member : primary) {
      if (view.contains(member)) {
        present++;
      }
    }
    if (present * 2 != primary.size()) {
      return present * 2 > primary.size();
    }
    return view.contains(primary.stream().min(ORDER).orElseThrow());
  }

  /** {@code node} is leaving gracefully: its departure does not count against the nodes that stay. */
  synchronized void departing(NodeId node) {
    departing.add(node);
    primary.remove(node);
  }

  /** The primary set, in id order, for messages. */
  synchronized List<NodeId> primaryMembers() {
    List<NodeId> members = new ArrayList<>(primary);
    members.sort(ORDER);
    return members;
  }
}
