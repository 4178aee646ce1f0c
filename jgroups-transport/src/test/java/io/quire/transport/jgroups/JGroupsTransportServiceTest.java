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

  @Test
  void securitySettings_putAuthAndEncryptionIntoTheStack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path secret = java.nio.file.Files.write(dir.resolve("secret"), TestKeys.secret());
    TestKeys.aesKeystore(dir.resolve("keys.p12"));
    java.nio.file.Path password = java.nio.file.Files.writeString(dir.resolve("keys.pw"),
        new String(TestKeys.STORE_PASSWORD));
    TransportSettings settings = new TransportSettings("orders", Optional.of(JGroupsTransportFactory.LOOPBACK_STACK),
        Optional.of("127.0.0.1"), 0, List.of(), java.util.Map.of("auth-secret-file", secret.toString(),
            "keystore", dir.resolve("keys.p12").toString(), "keystore-password-file", password.toString()));
    try (SystemRuntime system = SystemRuntime.start();
        JGroupsTransport transport = (JGroupsTransport) new JGroupsTransportService()
            .create(new NodeId(42), settings, system.runtime())) {
      org.jgroups.stack.Protocol auth = transport.channel().getProtocolStack()
          .findProtocol(org.jgroups.protocols.AUTH.class);
      org.jgroups.stack.Protocol encrypt = transport.channel().getProtocolStack()
          .findProtocol(org.jgroups.protocols.SYM_ENCRYPT.class);
      assertThat((Object) auth).as("AUTH in the stack").isNotNull();
      assertThat((Object) encrypt).as("SYM_ENCRYPT in the stack").isNotNull();
    }
  }

  @Test
  void encryptionAsymmetric_putsGatedAsymEncryptIntoTheStack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path secret = java.nio.file.Files.write(dir.resolve("secret"), TestKeys.secret());
    TransportSettings settings = new TransportSettings("orders", Optional.of(JGroupsTransportFactory.LOOPBACK_STACK),
        Optional.of("127.0.0.1"), 0, List.of(), java.util.Map.of("auth-secret-file", secret.toString(),
            "encryption", "asymmetric"));
    try (SystemRuntime system = SystemRuntime.start();
        JGroupsTransport transport = (JGroupsTransport) new JGroupsTransportService()
            .create(new NodeId(42), settings, system.runtime())) {
      org.jgroups.stack.Protocol encrypt = transport.channel().getProtocolStack()
          .findProtocol(org.jgroups.protocols.ASYM_ENCRYPT.class);
      assertThat((Object) encrypt).as("ASYM_ENCRYPT in the stack").isInstanceOf(GatedAsymEncrypt.class);
    }
  }

  @Test
  void securitySettings_thatNameAMissingFileOrAnUnknownSetting_fail(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    TransportSettings missing = new TransportSettings("orders", Optional.empty(), Optional.empty(), 0, List.of(),
        java.util.Map.of("auth-secret-file", dir.resolve("nowhere").toString()));
    TransportSettings unknown = new TransportSettings("orders", Optional.empty(), Optional.empty(), 0, List.of(),
        java.util.Map.of("password", "hunter2"));
    try (SystemRuntime system = SystemRuntime.start()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JGroupsTransportService()
          .create(new NodeId(42), missing, system.runtime())).hasMessageContaining("auth-secret-file")
          .hasMessageContaining("nowhere");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JGroupsTransportService()
          .create(new NodeId(42), unknown, system.runtime())).hasMessageContaining("unknown JGroups security")
          .hasMessageNotContaining("hunter2");
    }
  }
}
