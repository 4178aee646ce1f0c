package io.quire.transport.jgroups;

import static io.quire.transport.jgroups.Await.await;
import static io.quire.transport.jgroups.RecordingReceiver.bytes;
import static io.quire.transport.jgroups.RecordingReceiver.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportException;
import io.quire.spi.transport.View;
import io.quire.transport.jgroups.AsymmetricClusterIT.KeyWatch;
import io.quire.transport.jgroups.TestCertificates.Identity;
import java.nio.file.Path;
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate AUTH on 127.0.0.1 (issue 5): nodes whose certificates come from the CA in their trust store form one
 * view and talk, alone and with SYM_ENCRYPT or ASYM_ENCRYPT; a node whose certificate comes from another CA, or is
 * self-signed, is refused, never listed, reads nothing, and (with ASYM_ENCRYPT) never holds the group key.
 */
class CertificateClusterIT {
  static final NodeId A = new NodeId(0xA1);
  static final NodeId B = new NodeId(0xB2);
  static final NodeId INTRUDER = new NodeId(0xC3);
  static final Duration LONG = Duration.ofSeconds(10);
  /** Longer than the loopback stack's MERGE3 check interval (2 s): time for a merge attempt to have happened. */
  static final long MERGE_ROUND_MILLIS = 3_000;
  static final Identity CA = TestCertificates.ca("Quire Cluster CA");
  static final Identity OTHER_CA = TestCertificates.ca("Someone Else's CA");

  @TempDir
  Path dir;

  private final List<JGroupsTransport> open = new ArrayList<>();
  private final LoopbackCluster cluster = LoopbackCluster.of(3);

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }

  private enum Encryption { NONE, SYMMETRIC, ASYMMETRIC }

  /** A node's security: its own certificate, trusting {@link #CA}, with the cluster's encryption. */
  private ClusterSecurity security(Identity identity, Encryption encryption, KeystoreFile aesKey) {
    String name = identity.certificate().getSubjectX500Principal().getName().replace("CN=", "");
    ClusterSecurity.Builder builder = ClusterSecurity.builder()
        .certificateAuth(TestCertificates.keystore(dir.resolve(name + ".p12"), identity),
            TestCertificates.truststore(dir.resolve("trust-" + name + ".p12"), CA));
    switch (encryption) {
      case SYMMETRIC -> builder.symmetricEncryption(aesKey);
      case ASYMMETRIC -> builder.asymmetricEncryption();
      case NONE -> { }
    }
    return builder.build();
  }

  private ClusterSecurity security(Identity identity, Encryption encryption) {
    return security(identity, encryption, encryption == Encryption.SYMMETRIC
        ? TestKeys.aesKeystore(dir.resolve("aes.p12")) : null);
  }

  private JGroupsTransport transport(int slot, NodeId id, ClusterSecurity security) {
    JGroupsTransport transport = cluster.builder(slot).security(security)
        // A refused or unheard joiner gives up after two attempts (2 x 0.5 s) instead of ten.
        .property("GMS", "max_join_attempts", "2")
        .build().create(id);
    open.add(transport);
    return transport;
  }

  /** A and B, each with its own certificate from {@link #CA}, joined, with their receivers. */
  private List<RecordingReceiver> startPair(Encryption encryption, KeystoreFile aesKey) {
    RecordingReceiver atA = new RecordingReceiver();
    RecordingReceiver atB = new RecordingReceiver();
    transport(0, A, security(TestCertificates.node(CA, "node-a"), encryption, aesKey)).start(atA);
    transport(1, B, security(TestCertificates.node(CA, "node-b"), encryption, aesKey)).start(atB);
    await(atA.view(List.of(A, B)));
    await(atB.view(List.of(A, B)));
    return List.of(atA, atB);
  }

  private void exchange(List<RecordingReceiver> receivers, String hello) {
    JGroupsTransport a = open.get(0);
    JGroupsTransport b = open.get(1);
    a.send(B, bytes(hello));
    assertThat(text(await(a.request(B, bytes("ping"), LONG)))).isEqualTo("echo:ping");
    assertThat(text(await(b.request(A, bytes("pong"), LONG)))).isEqualTo("echo:pong");
    assertThat(await(receivers.get(1).messages(1))).extracting(RecordingReceiver.Received::text)
        .containsExactly(hello);
    assertThat(a.stats().framesRejected() + b.stats().framesRejected()).isZero();
  }

  /** Starts a node that should not get in: refused at start, or alone in its own view. */
  private JGroupsTransport startOutsider(JGroupsTransport intruder) {
    try {
      intruder.start(new RecordingReceiver());
      assertThat(intruder.currentView().members()).as("the outsider's own view").containsExactly(INTRUDER);
    } catch (TransportException refused) {
      assertThat(refused).hasMessageContaining("could not join");
    }
    return intruder;
  }

  private void assertNeverListed(List<RecordingReceiver> receivers, JGroupsTransport intruder) {
    for (RecordingReceiver member : receivers) {
      assertThat(member.views()).extracting(View::members).noneMatch(m -> m.contains(INTRUDER));
    }
    assertThat(open.get(0).currentView().members()).containsExactly(A, B);
    assertThat(intruder.stats().framesDelivered()).as("frames the intruder received").isZero();
    assertThatThrownBy(() -> await(open.get(0).request(INTRUDER, bytes("hello?"), LONG)))
        .isInstanceOf(NodeUnreachableException.class);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void certificatesFromTheTrustedCa_formOneView_andExchangeRequestsAndMessages() {
    exchange(startPair(Encryption.NONE, null), "hello with certificate AUTH");
  }

  @Test
  void aCertificateFromAnotherCa_isRefused_readsNothing_andIsNeverListed() {
    List<RecordingReceiver> receivers = startPair(Encryption.NONE, null);

    // Its trust store holds our CA, so it would accept us: only our check of its chain keeps it out.
    JGroupsTransport intruder = startOutsider(transport(2, INTRUDER,
        security(TestCertificates.node(OTHER_CA, "intruder"), Encryption.NONE)));
    pause(MERGE_ROUND_MILLIS);

    assertNeverListed(receivers, intruder);
  }

  @Test
  void aSelfSignedCertificate_isRefused_andIsNeverListed() {
    List<RecordingReceiver> receivers = startPair(Encryption.NONE, null);

    JGroupsTransport intruder = startOutsider(transport(2, INTRUDER,
        security(TestCertificates.selfSigned("loner"), Encryption.NONE)));
    pause(MERGE_ROUND_MILLIS);

    assertNeverListed(receivers, intruder);
  }

  @Test
  void withSymEncrypt_trustedCertificates_formOneView_andAnotherCaIsRefusedDespiteTheKey() {
    KeystoreFile aesKey = TestKeys.aesKeystore(dir.resolve("aes.p12"));
    List<RecordingReceiver> receivers = startPair(Encryption.SYMMETRIC, aesKey);
    exchange(receivers, "hello over SYM_ENCRYPT with certificate AUTH");

    // The same AES key: only certificate AUTH can keep it out.
    JGroupsTransport intruder = startOutsider(transport(2, INTRUDER,
        security(TestCertificates.node(OTHER_CA, "intruder"), Encryption.SYMMETRIC, aesKey)));
    pause(MERGE_ROUND_MILLIS);

    assertNeverListed(receivers, intruder);
  }

  @Test
  void withAsymEncrypt_trustedCertificates_shareTheCoordinatorsGroupKey_andExchange() {
    List<RecordingReceiver> receivers = startPair(Encryption.ASYMMETRIC, null);
    exchange(receivers, "hello over ASYM_ENCRYPT with certificate AUTH");

    assertThat(asym(open.get(0)).isKeyServer()).as("A, the coordinator, is the key server").isTrue();
    assertThat(hex(asym(open.get(1)).secretKey())).as("B's group key").isEqualTo(hex(asym(open.get(0)).secretKey()));
  }

  @Test
  void withAsymEncrypt_aCertificateFromAnotherCa_isRefused_andNeverHoldsTheGroupKey() {
    List<RecordingReceiver> receivers = startPair(Encryption.ASYMMETRIC, null);
    KeyWatch atA = new KeyWatch(asym(open.get(0)));
    insert(open.get(0), atA);

    JGroupsTransport intruder = transport(2, INTRUDER,
        security(TestCertificates.node(OTHER_CA, "intruder"), Encryption.ASYMMETRIC));
    KeyWatch atIntruder = new KeyWatch(asym(intruder));
    insert(intruder, atIntruder);
    startOutsider(intruder);
    pause(MERGE_ROUND_MILLIS);
    atA.record();

    assertThat(atIntruder.seen()).as("group keys the intruder held").doesNotContainAnyElementsOf(atA.seen());
    assertThat(((GatedAsymEncrypt) asym(open.get(0))).publicKeyHolders()).as("public keys the coordinator keeps")
        .isSubsetOf(open.get(0).channel().getAddress(), open.get(1).channel().getAddress());
    assertNeverListed(receivers, intruder);
  }

  private static ASYM_ENCRYPT asym(JGroupsTransport transport) {
    return transport.channel().getProtocolStack().findProtocol(ASYM_ENCRYPT.class);
  }

  private static void insert(JGroupsTransport transport, Protocol protocol) {
    try {
      transport.channel().getProtocolStack().insertProtocol(protocol, ProtocolStack.Position.ABOVE,
          ASYM_ENCRYPT.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String hex(Key key) {
    return key == null ? "none" : HexFormat.of().formatHex(key.getEncoded());
  }
}
