package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.GridConfigurationException;
import io.quire.core.NodeId;
import io.quire.core.coherence.Topology;
import io.quire.core.runtime.GridRuntime;
import io.quire.core.runtime.SystemRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jgroups.JChannel;
import org.jgroups.conf.ConfiguratorFactory;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;

/**
 * Makes {@link JGroupsTransport}s from the settings a node descriptor provides: cluster name, protocol stack, bind
 * address and port, initial members. Immutable and reusable: every {@link #create} builds a fresh channel from the
 * stack, with this factory's settings written over the stack's own.
 *
 * <pre>{@code
 * JGroupsTransportFactory factory = JGroupsTransportFactory.builder()
 *     .clusterName("orders")
 *     .stack(JGroupsTransportFactory.TCP_STACK)
 *     .bindAddress("10.0.0.5").bindPort(7800)
 *     .initialMembers(List.of(new InetSocketAddress("10.0.0.5", 7800), new InetSocketAddress("10.0.0.6", 7800)))
 *     .build();
 * try (JGroupsTransport transport = factory.create(nodeId)) { ... }
 * }</pre>
 */
public final class JGroupsTransportFactory {
  /** TCP on 127.0.0.1 with TCPPING and short timeouts: tests and single-host clusters. */
  public static final String LOOPBACK_STACK = "quire-tcp-loopback.xml";
  /** TCP with TCPPING (a fixed list of initial members): networks without IP multicast, clouds. */
  public static final String TCP_STACK = "quire-tcp.xml";
  /** UDP with IP multicast discovery: LANs where multicast works. */
  public static final String UDP_STACK = "quire-udp.xml";
  /** The cluster name when none is given. */
  public static final String DEFAULT_CLUSTER = "quire";
  /** Protocols above the transport that open server sockets of their own, and so need the bind address too. */
  private static final Set<String> LISTENERS = Set.of("FD_SOCK", "FD_SOCK2");

  private final String clusterName;
  private final String stack;
  private final Map<String, Map<String, String>> overrides;
  private final String bindAddress;
  private final ClusterSecurity security;
  private final String group;

  private JGroupsTransportFactory(Builder builder) {
    this.clusterName = builder.clusterName;
    this.stack = builder.stack;
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    builder.overrides.forEach((protocol, properties) -> copy.put(protocol, Map.copyOf(properties)));
    this.overrides = Map.copyOf(copy);
    this.bindAddress = builder.bindAddress;
    this.security = builder.security;
    this.group = builder.group;
  }

  /** A builder with the defaults: cluster {@value #DEFAULT_CLUSTER}, stack {@value #TCP_STACK}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The JGroups cluster name every transport of this factory joins. */
  public String clusterName() {
    return clusterName;
  }

  /** The stack: a classpath resource or a file. */
  public String stack() {
    return stack;
  }

  /** The failure group every transport of this factory carries in its address (empty for none). */
  public String group() {
    return group;
  }

  /** The authentication and encryption inserted into every channel's stack. */
  public ClusterSecurity security() {
    return security;
  }

  /**
   * A new, unstarted transport for {@code node}, timing its requests on a system runtime of its own (closed with it).
   *
   * @throws GridConfigurationException if the stack cannot be read or JGroups rejects its configuration
   */
  public JGroupsTransport create(NodeId node) {
    SystemRuntime system = SystemRuntime.start();
    try {
      return new JGroupsTransport(requireNonNull(node, "node"), group, newChannel(), clusterName, system.runtime(),
          system);
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
  }

  /** A new, unstarted transport for {@code node} that times its requests on {@code runtime} (owned by the caller). */
  public JGroupsTransport create(NodeId node, GridRuntime runtime) {
    return new JGroupsTransport(requireNonNull(node, "node"), group, newChannel(), clusterName,
        requireNonNull(runtime, "runtime"), null);
  }

  @Override
  public String toString() {
    return "JGroupsTransportFactory[cluster " + clusterName + ", group '" + group + "', stack " + stack
        + ", bind address " + bindAddress
        + ", overrides " + overrides + ", " + security + "]";
  }

  /** A new, unconnected channel on this factory's stack and settings (tests use it for non-grid members). */
  JChannel newChannel() {
    List<ProtocolConfiguration> protocols = configuredStack();
    JChannel channel;
    try {
      channel = new JChannel(new FixedStack(protocols));
    } catch (Exception e) {
      throw new GridConfigurationException("JGroups rejected stack " + stack + " with overrides " + overrides + ": "
          + e.getMessage());
    }
    try {
      security.secure(channel, clusterName);
      return channel;
    } catch (Exception e) {
      channel.close();
      // The exception's class only: JGroups' messages could quote a protocol's properties.
      throw new GridConfigurationException("could not add " + security + " to stack " + stack + ": "
          + e.getClass().getName());
    }
  }

  /** The stack's protocols with this factory's overrides applied, bottom (the transport) first. */
  List<ProtocolConfiguration> configuredStack() {
    List<ProtocolConfiguration> protocols = readStack(stack);
    if (bindAddress != null) {
      // Every protocol that listens on a socket of its own binds where the transport does, not on every interface.
      protocols.get(0).getProperties().put("bind_addr", bindAddress);
      protocols.stream().filter(p -> LISTENERS.contains(simpleName(p.getProtocolName())))
          .forEach(p -> p.getProperties().put("bind_addr", bindAddress));
    }
    for (Map.Entry<String, Map<String, String>> override : overrides.entrySet()) {
      ProtocolConfiguration target = find(protocols, override.getKey());
      target.getProperties().putAll(override.getValue());
    }
    return protocols;
  }

  private ProtocolConfiguration find(List<ProtocolConfiguration> protocols, String protocol) {
    if (protocol.equals(Builder.TRANSPORT)) {
      return protocols.get(0);
    }
    return protocols.stream().filter(p -> simpleName(p.getProtocolName()).equals(protocol)).findFirst()
        .orElseThrow(() -> new GridConfigurationException("stack " + stack + " has no protocol " + protocol
            + " to configure; it has " + protocols.stream().map(p -> simpleName(p.getProtocolName()))
            .collect(Collectors.joining(", "))));
  }

  private static String simpleName(String protocolName) {
    return protocolName.substring(protocolName.lastIndexOf('.') + 1);
  }

  /** Reads a stack from the classpath (this module's resources first) or, failing that, from a file. */
  static List<ProtocolConfiguration> readStack(String stack) {
    try (InputStream in = open(stack)) {
      ProtocolStackConfigurator configurator = ConfiguratorFactory.getStackConfigurator(in);
      List<ProtocolConfiguration> protocols = new ArrayList<>(configurator.getProtocolStack());
      if (protocols.isEmpty()) {
        throw new GridConfigurationException("stack " + stack + " has no protocols");
      }
      return protocols;
    } catch (GridConfigurationException e) {
      throw e;
    } catch (Exception e) {
      throw new GridConfigurationException("cannot read JGroups stack " + stack + ": " + e.getMessage());
    }
  }

  private static InputStream open(String stack) throws IOException {
    InputStream resource = JGroupsTransportFactory.class.getClassLoader().getResourceAsStream(stack);
    if (resource != null) {
      return resource;
    }
    Path file = Path.of(stack);
    if (Files.isRegularFile(file)) {
      return Files.newInputStream(file);
    }
    throw new GridConfigurationException("JGroups stack '" + stack + "' is neither a classpath resource nor a "
        + "file; use " + LOOPBACK_STACK + ", " + TCP_STACK + ", " + UDP_STACK + " or the path of a stack file");
  }

  /** A configurator over protocols that are already parsed and configured. */
  private record FixedStack(List<ProtocolConfiguration> protocols) implements ProtocolStackConfigurator {

    @Override
    public String getProtocolStackString() {
      return protocols.stream().map(ProtocolConfiguration::getProtocolString).collect(Collectors.joining(":"));
    }

    @Override
    public List<ProtocolConfiguration> getProtocolStack() {
      return protocols;
    }
  }

  /** Collects a factory's settings; each setter replaces the previous value. Not thread-safe. */
  public static final class Builder {
    /** Stands for the stack's bottom protocol (TCP or UDP) in overrides. */
    static final String TRANSPORT = "<transport>";

    private String clusterName = DEFAULT_CLUSTER;
    private String stack = TCP_STACK;
    private final Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
    private String bindAddress;
    private ClusterSecurity security = ClusterSecurity.NONE;
    private String group = "";

    private Builder() {}

    /** The JGroups cluster name: only channels with the same name (and compatible stacks) form a cluster. */
    public Builder clusterName(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("cluster name must not be blank");
      }
      this.clusterName = name;
      return this;
    }

    /** The stack: {@link #LOOPBACK_STACK}, {@link #TCP_STACK}, {@link #UDP_STACK}, another resource or a file. */
    public Builder stack(String resourceOrFile) {
      this.stack = requireNonNull(resourceOrFile, "resourceOrFile");
      return this;
    }

    /**
     * The address the transport binds to: the stack's transport {@code bind_addr}, and FD_SOCK2's, which would
     * otherwise listen on every interface.
     */
    public Builder bindAddress(InetAddress address) {
      return bindAddress(requireNonNull(address, "address").getHostAddress());
    }

    /** As {@link #bindAddress(InetAddress)}, or a JGroups symbolic value such as {@code site_local}. */
    public Builder bindAddress(String address) {
      requireNonNull(address, "address");
      if (address.isBlank()) {
        throw new IllegalArgumentException("bind address must not be blank");
      }
      this.bindAddress = address;
      return this;
    }

    /** The port the transport binds to (the stack's transport {@code bind_port}); 0 picks a free one. */
    public Builder bindPort(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("bind port must be in 0..65535, not " + port);
      }
      return property(TRANSPORT, "bind_port", Integer.toString(port));
    }

    /**
     * The members a joining node asks first (TCPPING's {@code initial_hosts}); list every node's address and
     * port. Only for stacks with TCPPING.
     */
    public Builder initialMembers(List<InetSocketAddress> members) {
      requireNonNull(members, "members");
      if (members.isEmpty()) {
        throw new IllegalArgumentException("initial members must not be empty");
      }
      String hosts = members.stream()
          .map(m -> requireNonNull(m, "an initial member is null").getHostString() + "[" + m.getPort() + "]")
          .collect(Collectors.joining(","));
      return property("TCPPING", "initial_hosts", hosts);
    }

    /**
     * Sets any property of a protocol of the stack, by the protocol's class name (e.g. {@code ("GMS",
     * "join_timeout", "3000")}); the last word over the stack file.
     */
    public Builder property(String protocol, String name, String value) {
      requireNonNull(protocol, "protocol");
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      overrides.computeIfAbsent(protocol, p -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    /**
     * Authentication and encryption for every channel (default {@link ClusterSecurity#NONE}): the factory inserts
     * AUTH below GMS and SYM_ENCRYPT below NAKACK2 into each stack, so the shipped stacks need no copies.
     */
    public Builder security(ClusterSecurity clusterSecurity) {
      this.security = requireNonNull(clusterSecurity, "clusterSecurity");
      return this;
    }

    /**
     * The factory. Reads the stack once, so that a missing stack or a protocol that the overrides name but the stack
     * lacks fails here rather than at the first {@code create}.
     *
     * @throws GridConfigurationException if the stack cannot be read or lacks a configured protocol
     */
    /**
     * The node's failure group, such as {@code site-a/rack-1}: carried in its address, so every member learns it
     * from the view and places replicas across groups ({@link JGroupsTransport#groupOf}). Default: none.
     *
     * @throws IllegalArgumentException if it is not a group path
     */
    public Builder group(String groupPath) {
      this.group = Topology.requireGroupPath(requireNonNull(groupPath, "group"));
      return this;
    }

    public JGroupsTransportFactory build() {
      JGroupsTransportFactory factory = new JGroupsTransportFactory(this);
      factory.security.check(factory.configuredStack(), stack);
      return factory;
    }
  }
}
