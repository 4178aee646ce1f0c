package io.quire.spi.transport;

import static java.util.Objects.requireNonNull;

import io.quire.core.coherence.Topology;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What a node's configuration says about its transport, in terms every network transport understands. A transport
 * maps them onto its own settings (JGroups: cluster name, stack file, bind address and port, TCPPING's initial hosts)
 * and ignores what does not apply to it.
 *
 * @param clusterName only nodes with the same cluster name form a cluster
 * @param stack the transport's own configuration (JGroups: a stack resource or file), or empty for its default
 * @param bindAddress the address to listen on, or empty for the transport's default
 * @param port the port to listen on; 0 picks a free one (or the stack's own setting)
 * @param initialMembers the nodes a joining node asks first; empty when discovery needs no list
 * @param security the transport's security settings by name (JGroups: the files of an AUTH secret and a SYM_ENCRYPT
 *     keystore); a transport refuses names it does not know
 * @param group this node's failure group ({@link Topology#isGroupPath a group path}, empty for none), which a
 *     transport that can carries in its membership so that every member knows every other's
 *     ({@link Transport#groupOf})
 */
public record TransportSettings(String clusterName, Optional<String> stack, Optional<String> bindAddress, int port,
    List<InetSocketAddress> initialMembers, java.util.Map<String, String> security, String group) {

  /** Settings without security options or a group. */
  public TransportSettings(String clusterName, Optional<String> stack, Optional<String> bindAddress, int port,
      List<InetSocketAddress> initialMembers) {
    this(clusterName, stack, bindAddress, port, initialMembers, java.util.Map.of());
  }

  /** Settings without a group. */
  public TransportSettings(String clusterName, Optional<String> stack, Optional<String> bindAddress, int port,
      List<InetSocketAddress> initialMembers, java.util.Map<String, String> security) {
    this(clusterName, stack, bindAddress, port, initialMembers, security, "");
  }

  public TransportSettings {
    requireNonNull(clusterName, "clusterName");
    if (clusterName.isBlank()) {
      throw new IllegalArgumentException("cluster name must not be blank");
    }
    requireNonNull(stack, "stack");
    requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, not " + port);
    }
    initialMembers = List.copyOf(requireNonNull(initialMembers, "initialMembers"));
    security = java.util.Map.copyOf(requireNonNull(security, "security"));
    Topology.requireGroupPath(requireNonNull(group, "group"));
  }
}
