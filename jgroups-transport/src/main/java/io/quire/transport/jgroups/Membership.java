package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.coherence.Topology;
import io.quire.spi.transport.View;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.ExtendedUUID;

/**
 * One JGroups view seen as grid nodes: the {@link View} handed to grid-core and the {@link NodeId} &lt;-&gt;
 * {@link Address} maps behind it. Immutable.
 *
 * <p>A node's {@code NodeId} rides in its JGroups address: every {@link JGroupsTransport} generates an
 * {@link ExtendedUUID} carrying the id under {@link #NODE_KEY}. JGroups writes the whole address (keys included)
 * into join requests and views, so every member learns every other member's NodeId from the view itself, with no
 * extra message and no race with a lookup table. Its failure group rides the same way under {@link #GROUP_KEY}, so
 * every member of a view knows the group of every other ({@link #groups}); a group that is not a well-formed path is
 * read as none (and the node is still a member).
 *
 * <p>Members the grid cannot use are left out of {@link #view}, never fatal: a member whose address carries no
 * NodeId (a plain JGroups channel on the same cluster name, e.g. a probe) is a {@linkplain #strangers stranger};
 * when two addresses carry the same NodeId (a node restarted from its data directory while its previous incarnation
 * is still in the view, not yet suspected) the one later in JGroups' member list, the newer joiner, wins and the
 * other is {@linkplain #superseded superseded}. Every member applies the same rule to the same JGroups view, so they
 * all agree.
 *
 * @param view the grid's view: JGroups' view id + 1 (JGroups numbers a new cluster's first view 0, and grid-core's
 *     {@link View#empty()} is 0), and the NodeIds of the members, sorted
 * @param addresses the address of each member of {@code view}
 * @param nodes the NodeId of each address in {@code addresses}
 * @param strangers members of the JGroups view without a NodeId
 * @param superseded members of the JGroups view whose NodeId a newer member carries
 * @param groups the failure group of each member of {@code view} that carries one
 */
record Membership(View view, Map<NodeId, Address> addresses, Map<Address, NodeId> nodes, List<Address> strangers,
    List<Address> superseded, Map<NodeId, String> groups) {
  /** The key under which an address carries its node's id: the id in lower-case hex, as ASCII (readable in logs). */
  static final String NODE_KEY = "quire.node";
  /** The key under which an address carries its node's failure group, as ASCII; absent for none. */
  static final String GROUP_KEY = "quire.group";

  /** Before the first view. */
  static final Membership NONE = new Membership(View.empty(), Map.of(), Map.of(), List.of(), List.of(), Map.of());

  Membership {
    requireNonNull(view, "view");
    addresses = Map.copyOf(addresses);
    nodes = Map.copyOf(nodes);
    strangers = List.copyOf(strangers);
    superseded = List.copyOf(superseded);
    groups = Map.copyOf(groups);
  }

  /** A fresh random address carrying {@code node} and no group. */
  static ExtendedUUID addressFor(NodeId node) {
    return addressFor(node, "");
  }

  /** A fresh random address carrying {@code node} and, unless empty, its failure {@code group}. */
  static ExtendedUUID addressFor(NodeId node, String group) {
    ExtendedUUID address = ExtendedUUID.randomUUID().put(NODE_KEY,
        Long.toUnsignedString(node.value(), 16).getBytes(StandardCharsets.US_ASCII));
    if (!Topology.requireGroupPath(group).isEmpty()) {
      address.put(GROUP_KEY, group.getBytes(StandardCharsets.US_ASCII));
    }
    return address;
  }

  /**
   * The failure group that {@code address} carries, or empty when it carries none or one that is not a group path
   * (bytes from the wire: checked before they are trusted).
   */
  static String groupIn(Address address) {
    if (!(address instanceof ExtendedUUID extended)) {
      return "";
    }
    byte[] value = extended.get(GROUP_KEY);
    if (value == null || value.length == 0 || value.length > Topology.MAX_GROUP_LENGTH) {
      return "";
    }
    // ISO-8859-1 maps every byte to one char, so a non-ASCII byte becomes a character the path pattern refuses.
    String group = new String(value, StandardCharsets.ISO_8859_1);
    return Topology.isGroupPath(group) ? group : "";
  }

  /** The NodeId that {@code address} carries, or null when it carries none (or a malformed one). */
  static NodeId nodeIdIn(Address address) {
    if (!(address instanceof ExtendedUUID extended)) {
      return null;
    }
    byte[] value = extended.get(NODE_KEY);
    if (value == null || value.length == 0 || value.length > 16) {
      return null;
    }
    for (byte b : value) {
      if (Character.digit(b, 16) < 0) {
        return null;
      }
    }
    return new NodeId(Long.parseUnsignedLong(new String(value, StandardCharsets.US_ASCII), 16));
  }

  /** The grid's side of {@code jgroupsView}. */
  static Membership of(org.jgroups.View jgroupsView) {
    Map<NodeId, Address> addresses = new HashMap<>();
    List<Address> strangers = new ArrayList<>();
    List<Address> superseded = new ArrayList<>();
    for (Address member : jgroupsView.getMembers()) {
      NodeId node = nodeIdIn(member);
      if (node == null) {
        strangers.add(member);
        continue;
      }
      Address older = addresses.put(node, member);
      if (older != null) {
        superseded.add(older);
      }
    }
    Map<Address, NodeId> nodes = new HashMap<>();
    Map<NodeId, String> groups = new HashMap<>();
    addresses.forEach((node, address) -> {
      nodes.put(address, node);
      String group = groupIn(address);
      if (!group.isEmpty()) {
        groups.put(node, group);
      }
    });
    View view = new View(jgroupsView.getViewId().getId() + 1, new ArrayList<>(addresses.keySet()));
    return new Membership(view, addresses, nodes, strangers, superseded, groups);
  }

  /** The address of {@code node}, or null when it is not a member. */
  Address addressOf(NodeId node) {
    return addresses.get(node);
  }

  /** The member at {@code address}, or null when no member of this view is there. */
  NodeId nodeOf(Address address) {
    return address == null ? null : nodes.get(address);
  }
}
