package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportFactory;
import io.quire.spi.transport.TransportSettings;

/**
 * grid-core's {@link TransportFactory} SPI for JGroups, named {@value #NAME}: what lets the JCache provider start a
 * cluster node from a descriptor's {@code transport="jgroups"} with no compile dependency on this module. The settings
 * map onto {@link JGroupsTransportFactory.Builder}: an absent stack is {@link JGroupsTransportFactory#TCP_STACK}, port
 * 0 keeps the stack's own {@code bind_port}, and initial members become TCPPING's {@code initial_hosts}.
 */
public final class JGroupsTransportService implements TransportFactory {
  /** The transport's name in configurations. */
  public static final String NAME = "jgroups";

  /** For {@link java.util.ServiceLoader}. */
  public JGroupsTransportService() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Transport create(NodeId node, TransportSettings settings, GridRuntime runtime) {
    requireNonNull(settings, "settings");
    JGroupsTransportFactory.Builder builder = JGroupsTransportFactory.builder()
        .clusterName(settings.clusterName())
        .stack(settings.stack().orElse(JGroupsTransportFactory.TCP_STACK))
        .group(settings.group());
    settings.bindAddress().ifPresent(builder::bindAddress);
    if (settings.port() != 0) {
      builder.bindPort(settings.port());
    }
    if (!settings.initialMembers().isEmpty()) {
      builder.initialMembers(settings.initialMembers());
    }
    if (!settings.security().isEmpty()) {
      builder.security(SecurityFiles.fromSettings(settings.security()).load(name -> name));
    }
    return builder.build().create(node, runtime);
  }
}
