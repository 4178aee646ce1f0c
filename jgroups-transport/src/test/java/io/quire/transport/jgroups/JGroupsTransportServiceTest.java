package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.core.runtime.SystemRuntime;
import io.quire.spi.transport.TransportFactory;
import io.quire.spi.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.junit.jupiter.api.Test;

/** The TransportFactory SPI entry for JGroups; nothing here connects or opens a socket. */
class JGroupsTransportServiceTest {

  @Test
  void serviceLoader_findsTheJGroupsFactoryByName() {
    Optional<TransportFactory> found = TransportFactory.find("jgroups", getClass().getClassLoader());
    assertThat(found).containsInstanceOf(JGroupsTransportService.class);
    assertThat(TransportFactory.find("carrier-pigeon", getClass().getClassLoader())).isEmpty();
  }

  @Test
  void settings_becomeTheChannelsClusterNameStackBindAddressPortAndInitialHosts() {
    TransportSettings settings = new TransportSettings("orders", Optional.of(JGroupsTransportFactory.LOOPBACK_STACK),
        Optional.of("127.0.0.1"), 7911, List.of(InetSocketAddress.createUnresolved("127.0.0.1", 7911),
            InetSocketAddress.createUnresolved("127.0.0.1", 7912)));
    try (SystemRuntime system = SystemRuntime.start();
        JGroupsTransport transport = (JGroupsTransport) new JGroupsTransportService()
            .create(new NodeId(42), settings, system.runtime())) {
      assertThat(transport.localNode()).isEqualTo(new NodeId(42));
      assertThat(transport.clusterName()).isEqualTo("orders");
      TP tp = transport.channel().getProtocolStack().getTransport();
      assertThat(tp.getBindPort()).isEqualTo(7911);
      assertThat(tp.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
      TCPPING discovery = transport.channel().getProtocolStack().findProtocol(TCPPING.class);
      assertThat(discovery.getInitialHosts()).hasSize(2);
    }
  }
}
