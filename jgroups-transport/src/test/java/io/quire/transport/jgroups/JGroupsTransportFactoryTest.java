package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfigurationException;
import io.quire.core.NodeId;
import io.quire.spi.transport.View;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Building factories and channels; nothing here connects or opens a socket. */
class JGroupsTransportFactoryTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @ParameterizedTest
  @ValueSource(strings = {JGroupsTransportFactory.LOOPBACK_STACK, JGroupsTransportFactory.TCP_STACK,
      JGroupsTransportFactory.UDP_STACK})
  void shippedStacks_makeChannelsThatJGroupsAccepts(String stack) {
    JGroupsTransportFactory factory = JGroupsTransportFactory.builder().stack(stack)
        .bindAddress(LOOPBACK).build();

    try (JChannel channel = factory.newChannel()) {
      FD_SOCK2 failureDetection = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
      Protocol fragmentation = channel.getProtocolStack().findProtocol("FRAG4");
      assertThat(channel.getProtocolStack().getTransport().getBindAddress()).isEqualTo(LOOPBACK);
      assertThat(failureDetection.getBindAddress()).isEqualTo(LOOPBACK);
      assertThat(fragmentation).isNotNull();
    }
  }

  @Test
  void settings_areWrittenOverTheStacksOwn() {
    InetSocketAddress first = new InetSocketAddress(LOOPBACK, 7900);
    InetSocketAddress second = new InetSocketAddress(LOOPBACK, 7901);
    JGroupsTransportFactory factory = JGroupsTransportFactory.builder()
        .clusterName("orders")
        .stack(JGroupsTransportFactory.LOOPBACK_STACK)
        .bindAddress("127.0.0.1")
        .bindPort(7901)
        .initialMembers(List.of(first, second))
        .property("GMS", "join_timeout", "1234")
        .build();

    try (JChannel channel = factory.newChannel()) {
      TP transport = channel.getProtocolStack().getTransport();
      assertThat(transport.getBindPort()).isEqualTo(7901);
      TCPPING discovery = channel.getProtocolStack().findProtocol(TCPPING.class);
      GMS membership = channel.getProtocolStack().findProtocol(GMS.class);
      assertThat(discovery.getInitialHosts()).extracting(Object::toString)
          .containsExactly("127.0.0.1:7900", "127.0.0.1:7901");
      assertThat(membership.getJoinTimeout()).isEqualTo(1234);
    }
    assertThat(factory.clusterName()).isEqualTo("orders");
  }

  @Test
  void create_givesAnUnstartedTransportOfTheNode() {
    JGroupsTransportFactory factory = JGroupsTransportFactory.builder()
        .stack(JGroupsTransportFactory.LOOPBACK_STACK).build();

    try (JGroupsTransport transport = factory.create(new NodeId(0xabcL))) {
      assertThat(transport.localNode()).isEqualTo(new NodeId(0xabcL));
      assertThat(transport.currentView()).isEqualTo(View.empty());
      assertThat(transport.clusterName()).isEqualTo(JGroupsTransportFactory.DEFAULT_CLUSTER);
      assertThatThrownBy(() -> transport.send(new NodeId(1), RecordingReceiver.bytes("x")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
    }
  }

  @Test
  void stackFromAFile_isRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("my-stack.xml");
    try (var in = getClass().getClassLoader().getResourceAsStream(JGroupsTransportFactory.LOOPBACK_STACK)) {
      Files.copy(in, file);
    }

    JGroupsTransportFactory factory = JGroupsTransportFactory.builder().stack(file.toString()).build();

    try (JChannel channel = factory.newChannel()) {
      TCPPING discovery = channel.getProtocolStack().findProtocol(TCPPING.class);
      assertThat(discovery).isNotNull();
    }
  }

  /* ---- mistakes, reported at build() ---- */

  @Test
  void missingStack_failsAtBuild() {
    assertThatThrownBy(() -> JGroupsTransportFactory.builder().stack("no-such-stack.xml").build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("no-such-stack.xml")
        .hasMessageContaining(JGroupsTransportFactory.LOOPBACK_STACK);
  }

  @Test
  void initialMembers_onAStackWithoutTcpping_failAtBuild() {
    var builder = JGroupsTransportFactory.builder().stack(JGroupsTransportFactory.UDP_STACK)
        .initialMembers(List.of(new InetSocketAddress(LOOPBACK, 7800)));

    assertThatThrownBy(builder::build).isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("no protocol TCPPING").hasMessageContaining("PING");
  }

  @Test
  void unknownProperty_isReportedWhenTheChannelIsMade() {
    JGroupsTransportFactory factory = JGroupsTransportFactory.builder().stack(JGroupsTransportFactory.LOOPBACK_STACK)
        .property("GMS", "no_such_property", "1").build();

    assertThatThrownBy(() -> factory.create(new NodeId(1))).isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining("no_such_property");
  }

  @Test
  void badValues_areRejectedByTheBuilder() {
    var builder = JGroupsTransportFactory.builder();

    assertThatThrownBy(() -> builder.bindPort(65_536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.bindPort(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.clusterName(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.bindAddress("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.initialMembers(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
