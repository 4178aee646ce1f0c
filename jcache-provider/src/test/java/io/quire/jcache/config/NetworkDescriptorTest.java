package io.quire.jcache.config;

import static io.quire.jcache.config.DescriptorParserTest.parseString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The network attributes of a {@code transport="jgroups"} node. */
class NetworkDescriptorTest {
  private static final String OPEN = "<quire xmlns=\"urn:io.quire:cache:1.0\">\n";

  @Test
  void jgroupsNode_carriesStackBindAddressPortAndInitialMembers() {
    NodeDescriptor node = parseString(OPEN + """
          <node transport="jgroups" cluster="prod" stack="quire-udp.xml" bind-address="10.0.0.5" port="7800"
                initial-members="10.0.0.5:7800, 10.0.0.6[7801]"/>
        </quire>
        """, "classpath:quire.xml").node();
    assertThat(node.transport()).isEqualTo(Transport.JGROUPS);
    assertThat(node.cluster()).isEqualTo("prod");
    assertThat(node.network()).isEqualTo(new NetworkDescriptor(Optional.of("quire-udp.xml"), Optional.of("10.0.0.5"),
        7800, List.of(InetSocketAddress.createUnresolved("10.0.0.5", 7800),
            InetSocketAddress.createUnresolved("10.0.0.6", 7801))));
  }

  @Test
  void jgroupsNode_carriesTheFilesOfItsSecrets() {
    NodeDescriptor node = parseString(OPEN + """
          <node transport="jgroups" auth-secret-file="/etc/quire/secret" keystore="/etc/quire/keys.p12"
                keystore-password-file="/etc/quire/keys.pw" key-alias="orders"/>
        </quire>
        """, "classpath:quire.xml").node();
    assertThat(node.network().security()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "auth-secret-file", "/etc/quire/secret", "keystore", "/etc/quire/keys.p12",
        "keystore-password-file", "/etc/quire/keys.pw", "key-alias", "orders"));
  }

  @Test
  void jgroupsNode_carriesTheFilesOfItsCertificateAuth() {
    NodeDescriptor node = parseString(OPEN + """
          <node transport="jgroups" auth-keystore="/etc/quire/node.p12" auth-keystore-password-file="/etc/quire/node.pw"
                auth-key-alias="node-7" truststore="/etc/quire/trust.p12" truststore-password-file="/etc/quire/trust.pw"
                encryption="asymmetric"/>
        </quire>
        """, "classpath:quire.xml").node();
    assertThat(node.network().security()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "auth-keystore", "/etc/quire/node.p12", "auth-keystore-password-file", "/etc/quire/node.pw",
        "auth-key-alias", "node-7", "truststore", "/etc/quire/trust.p12",
        "truststore-password-file", "/etc/quire/trust.pw", "encryption", "asymmetric"));
  }

  @Test
  void jgroupsNode_carriesItsEncryptionChoice_andTheSchemaKnowsOnlyThree() {
    NodeDescriptor node = parseString(OPEN + """
          <node transport="jgroups" auth-secret-file="/etc/quire/secret" encryption="asymmetric"/>
        </quire>
        """, "classpath:quire.xml").node();
    assertThat(node.network().security()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "auth-secret-file", "/etc/quire/secret", "encryption", "asymmetric"));
    assertThatThrownBy(() -> parseString(OPEN + """
          <node transport="jgroups" auth-secret-file="/etc/quire/secret" encryption="rot13"/>
        </quire>
        """, "classpath:quire.xml")).isInstanceOf(DescriptorException.class).hasMessageContaining("rot13");
  }

  @Test
  void securityFilesOnALocalNode_failNamingTheLine() {
    assertThatThrownBy(() -> parseString(OPEN + """
          <node auth-secret-file="/etc/quire/secret"/>
        </quire>
        """, "classpath:quire.xml")).isInstanceOf(DescriptorException.class)
        .hasMessageStartingWith("classpath:quire.xml:2:")
        .hasMessageContaining("settings of transport=\"jgroups\"; this node is local");
  }

  @Test
  void jgroupsNodeWithoutNetworkAttributes_keepsTheStacksOwn() {
    NodeDescriptor node = parseString(OPEN + "<node transport=\"jgroups\"/></quire>", "classpath:quire.xml").node();
    assertThat(node.network()).isEqualTo(NetworkDescriptor.NONE);
  }

  @Test
  void networkAttributesOnALocalNode_failNamingTheLine() {
    assertThatThrownBy(() -> parseString(OPEN + """
          <node port="7800"/>
        </quire>
        """, "classpath:quire.xml")).isInstanceOf(DescriptorException.class)
        .hasMessageStartingWith("classpath:quire.xml:2:")
        .hasMessageContaining("settings of transport=\"jgroups\"; this node is local");
  }

  @Test
  void aMemberWithoutAPort_failsNamingTheAttributeAndTheItem() {
    assertThatThrownBy(() -> parseString(OPEN + """
          <node transport="jgroups" initial-members="a:1,b:x"/>
        </quire>
        """, "classpath:quire.xml")).isInstanceOf(DescriptorException.class)
        .hasMessageContaining("<node initial-members=\"a:1,b:x\">: 'b:x' has no port number");
  }

  @Test
  void parseMembers_acceptsBothFormsAndRefusesPortsOutOfRange() {
    assertThat(NetworkDescriptor.parseMembers("h[1] k:65535")).containsExactly(
        InetSocketAddress.createUnresolved("h", 1), InetSocketAddress.createUnresolved("k", 65535));
    assertThatThrownBy(() -> NetworkDescriptor.parseMembers("h:0")).hasMessageContaining("outside 1..65535");
    assertThatThrownBy(() -> NetworkDescriptor.parseMembers(" , ")).hasMessageContaining("no members");
  }
}
