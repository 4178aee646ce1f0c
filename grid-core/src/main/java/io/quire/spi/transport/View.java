package io.quire.spi.transport;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * One membership of the cluster, as installed by the transport. Views are totally ordered by {@link #viewId}: every
 * member sees the same views in the same order, and a later view has a larger id.
 *
 * @param viewId increases with every membership change
 * @param members the nodes in the view, sorted by unsigned id and without duplicates, so that every node that
 *     derives something from the member list (e.g. a responsible node) derives the same thing; immutable
 */
public record View(long viewId, List<NodeId> members) {
  private static final Comparator<NodeId> ORDER = (a, b) -> Long.compareUnsigned(a.value(), b.value());

  public View {
    requireNonNull(members, "members");
    List<NodeId> sorted = new ArrayList<>(members);
    sorted.forEach(member -> requireNonNull(member, "a member of view " + viewId + " is null"));
    sorted.sort(ORDER);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        throw new IllegalArgumentException("view " + viewId + " lists " + sorted.get(i) + " twice: " + members);
      }
    }
    members = List.copyOf(sorted);
  }

  /** The view before any node has joined. */
  public static View empty() {
    return new View(0, List.of());
  }

  /** True when {@code node} is a member of this view. */
  public boolean contains(NodeId node) {
    return Collections.binarySearch(members, requireNonNull(node, "node"), ORDER) >= 0;
  }

  /** The number of members. */
  public int size() {
    return members.size();
  }
}
