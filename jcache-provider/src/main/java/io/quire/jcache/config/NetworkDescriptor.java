package io.quire.jcache.config;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code <node>} attributes that say how a {@code transport="jgroups"} node reaches its peers. Unused by a local
 * node.
 *
 * @param stack the JGroups stack (a classpath resource such as {@code quire-tcp.xml}, or a file); empty for the
 *     default, TCP with TCPPING
 * @param bindAddress the address to listen on; empty for the stack's own
 * @param port the port to listen on; 0 keeps the stack's own
 * @param initialMembers the members a joining node asks first (TCPPING); empty keeps the stack's own
 */
public record NetworkDescriptor(Optional<String> stack, Optional<String> bindAddress, int port,
    List<InetSocketAddress> initialMembers, java.util.Map<String, String> security) {

  /** The {@code <node>} attributes that name a transport's secrets (see jgroups-transport's SecurityFiles). */
  public static final List<String> SECURITY_ATTRIBUTES = List.of("auth-secret-file", "encryption", "keystore",
      "keystore-type", "keystore-password-file", "key-alias", "key-password-file", "auth-keystore",
      "auth-keystore-password-file", "auth-key-alias", "truststore", "truststore-password-file");

  /** No network settings: the stack's own. */
  public static final NetworkDescriptor NONE = new NetworkDescriptor(Optional.empty(), Optional.empty(), 0, List.of());

  /** Network settings without security. */
  public NetworkDescriptor(Optional<String> stack, Optional<String> bindAddress, int port,
      List<InetSocketAddress> initialMembers) {
    this(stack, bindAddress, port, initialMembers, java.util.Map.of());
  }

  public NetworkDescriptor {
    requireNonNull(stack, "stack");
    requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, not " + port);
    }
    initialMembers = List.copyOf(requireNonNull(initialMembers, "initialMembers"));
    security = java.util.Map.copyOf(requireNonNull(security, "security"));
  }

  /**
   * Parses {@code host:port} or {@code host[port]} items separated by commas or spaces.
   *
   * @throws IllegalArgumentException naming the item that is not a host and port
   */
  public static List<InetSocketAddress> parseMembers(String text) {
    List<InetSocketAddress> members = new ArrayList<>();
    for (String item : text.split("[,\\s]+")) {
      if (item.isEmpty()) {
        continue;
      }
      String host;
      String port;
      if (item.endsWith("]") && item.indexOf('[') > 0) {
        host = item.substring(0, item.indexOf('['));
        port = item.substring(item.indexOf('[') + 1, item.length() - 1);
      } else if (item.lastIndexOf(':') > 0) {
        host = item.substring(0, item.lastIndexOf(':'));
        port = item.substring(item.lastIndexOf(':') + 1);
      } else {
        throw new IllegalArgumentException("'" + item + "' is not host:port or host[port]");
      }
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + item + "' has no port number");
      }
      if (number < 1 || number > 65_535) {
        throw new IllegalArgumentException("'" + item + "' has port " + number + ", outside 1..65535");
      }
      members.add(InetSocketAddress.createUnresolved(host, number));
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("no members listed");
    }
    return members;
  }
}
