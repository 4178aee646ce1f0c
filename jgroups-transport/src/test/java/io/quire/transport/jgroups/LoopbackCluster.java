package io.quire.transport.jgroups;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;

/**
 * The settings of an N-node cluster on 127.0.0.1 with the loopback stack: one free port per node slot ({@link
 * LoopbackPorts}), every slot an initial member, and a cluster name of its own so that concurrent runs never meet.
 */
final class LoopbackCluster {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final String name;
  private final List<Integer> ports;

  private LoopbackCluster(String name, List<Integer> ports) {
    this.name = name;
    this.ports = ports;
  }

  /** A cluster of {@code slots} node slots (a slot may be used by several incarnations, one at a time). */
  static LoopbackCluster of(int slots) {
    return new LoopbackCluster("quire-test-" + UUID.randomUUID(), LoopbackPorts.free(slots));
  }

  /** The factory for the node in {@code slot}. */
  JGroupsTransportFactory factory(int slot) {
    return builder(slot).build();
  }

  /** The settings of the node in {@code slot}, for tests that add to them (security, properties). */
  JGroupsTransportFactory.Builder builder(int slot) {
    return JGroupsTransportFactory.builder()
        .clusterName(name)
        .stack(JGroupsTransportFactory.LOOPBACK_STACK)
        .bindAddress(LOOPBACK)
        .bindPort(ports.get(slot))
        .initialMembers(ports.stream().map(p -> new InetSocketAddress(LOOPBACK, p)).toList());
  }

  /** A new, unstarted transport for {@code node} in {@code slot}. */
  JGroupsTransport transport(int slot, NodeId node) {
    return factory(slot).create(node);
  }

  /** A new, unstarted transport for {@code node} in {@code slot}, timed on {@code runtime}. */
  JGroupsTransport transport(int slot, NodeId node, GridRuntime runtime) {
    return factory(slot).create(node, runtime);
  }

  String name() {
    return name;
  }
}
