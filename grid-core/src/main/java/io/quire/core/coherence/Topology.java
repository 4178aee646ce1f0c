package io.quire.core.coherence;

import io.quire.core.NodeId;
import java.util.Map;

/**
 * The hierarchy manager's input: each node's group path, such as {@code site-a/rack-1}. Replicas spread across
 * groups; migration prefers a writer in the owner's group. Nodes without a path share the root group.
 */
@FunctionalInterface
public interface Topology {

  /** The group path of {@code node}: segments separated by {@code /}, most significant first; empty for none. */
  String groupOf(NodeId node);

  /** Every node in the root group: no spreading. */
  Topology FLAT = node -> "";

  /** A topology from a table; nodes not in it are in the root group. */
  static Topology of(Map<NodeId, String> groups) {
    Map<NodeId, String> copy = Map.copyOf(groups);
    return node -> copy.getOrDefault(node, "");
  }

  /**
   * How far apart two nodes are: the number of path segments in which their groups differ, counted from the first
   * difference (0 in the same group; larger is farther, so "another site" beats "another rack").
   */
  default int distance(NodeId a, NodeId b) {
    String[] pa = groupOf(a).isEmpty() ? new String[0] : groupOf(a).split("/");
    String[] pb = groupOf(b).isEmpty() ? new String[0] : groupOf(b).split("/");
    int common = 0;
    while (common < pa.length && common < pb.length && pa[common].equals(pb[common])) {
      common++;
    }
    return Math.max(pa.length, pb.length) - common;
  }
}
