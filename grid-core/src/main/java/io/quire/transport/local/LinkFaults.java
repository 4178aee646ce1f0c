package io.quire.transport.local;

import io.quire.core.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The links a test has cut: partitions between two sets of nodes, and nodes whose incoming traffic is dropped.
 * Checked when a frame is sent and again when it would arrive, so a cut also loses the frames in flight.
 *
 * <p>Confined to the simulation's thread.
 */
final class LinkFaults {
  private record Partition(Set<NodeId> a, Set<NodeId> b) {
    boolean separates(NodeId from, NodeId to) {
      return (a.contains(from) && b.contains(to)) || (b.contains(from) && a.contains(to));
    }
  }

  private final List<Partition> partitions = new ArrayList<>();
  private final Set<NodeId> droppedTo = new HashSet<>();

  void partition(Set<NodeId> a, Set<NodeId> b) {
    Set<NodeId> both = new HashSet<>(a);
    both.retainAll(b);
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("a node cannot be on both sides of a partition: " + both);
    }
    partitions.add(new Partition(Set.copyOf(a), Set.copyOf(b)));
  }

  void dropTrafficTo(NodeId node) {
    droppedTo.add(node);
  }

  void restoreTrafficTo(NodeId node) {
    droppedTo.remove(node);
  }

  void heal() {
    partitions.clear();
    droppedTo.clear();
  }

  /** True when a frame from {@code from} to {@code to} is lost. A node's frames to itself always pass. */
  boolean blocks(NodeId from, NodeId to) {
    if (from.equals(to)) {
      return false;
    }
    if (droppedTo.contains(to)) {
      return true;
    }
    for (Partition p : partitions) {
      if (p.separates(from, to)) {
        return true;
      }
    }
    return false;
  }
}
