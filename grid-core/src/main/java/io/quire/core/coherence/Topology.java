package io.quire.core.coherence;

import io.quire.core.NodeId;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hierarchy manager's input: each node's group path, such as {@code site-a/rack-1}. Replicas spread across
 * groups; migration prefers a writer in the owner's group. Nodes without a path share the root group.
 */
@FunctionalInterface
public interface Topology {

  /** The group path of {@code node}: segments separated by {@code /}, most significant first; empty for none. */
  String groupOf(NodeId node);

  /** The longest group path a node may have, in characters (it rides in every membership message). */
  int MAX_GROUP_LENGTH = 255;

  /** The shape of a group path: letters, digits, '.', '_' and '-' in segments separated by '/'. */
  Pattern GROUP_PATH = Pattern.compile("[A-Za-z0-9._\\-]+(/[A-Za-z0-9._\\-]+)*");

  /** True when {@code group} is empty (no group) or a well-formed group path of at most {@link #MAX_GROUP_LENGTH}. */
  static boolean isGroupPath(String group) {
    return group != null && (group.isEmpty()
        || group.length() <= MAX_GROUP_LENGTH && GROUP_PATH.matcher(group).matches());
  }

  /**
   * Returns {@code group} when it {@linkplain #isGroupPath is a group path}.
   *
   * @throws IllegalArgumentException naming the rule when it is not
   */
  static String requireGroupPath(String group) {
    if (!isGroupPath(group)) {
      throw new IllegalArgumentException("a group must be a path of segments of letters, digits, '.', '_' or '-' "
          + "separated by '/' (such as site-a/rack-1), at most " + MAX_GROUP_LENGTH + " characters, not '" + group
          + "'");
    }
    return group;
  }

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
