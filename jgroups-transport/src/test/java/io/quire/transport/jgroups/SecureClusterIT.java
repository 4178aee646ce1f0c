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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticated and encrypted clusters on 127.0.0.1 (issue 5): nodes with the same secret and key form one view and
 * talk; a node with another secret or another key never gets into anyone's view; and what goes on the wire does not
 * carry the frames' plaintext.
 */
class SecureClusterIT {
  static final NodeId A = new NodeId(0xA1);
  static final NodeId B = new NodeId(0xB2);
  static final NodeId INTRUDER = new NodeId(0xC3);
  static final Duration LONG = Duration.ofSeconds(10);
  /** Longer than the loopback stack's MERGE3 check interval (2 s): time for a merge attempt to have happened. */
  static final long MERGE_ROUND_MILLIS = 3_000;

  @TempDir
  Path dir;

  private final List<JGroupsTransport> open = new ArrayList<>();
  private final LoopbackCluster cluster = LoopbackCluster.of(3);

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }

  private JGroupsTransport transport(int slot, NodeId id, ClusterSecurity security) {
    JGroupsTransport transport = cluster.builder(slot).security(security)
        // A refused or unheard joiner gives up after two attempts (2 x 0.5 s) instead of ten.
        .property("GMS", "max_join_attempts", "2")
        .build().create(id);
    open.add(transport);
    return transport;
  }

  private ClusterSecurity security(byte[] secret, KeystoreFile key) {
    return ClusterSecurity.builder().authSecret(secret).symmetricEncryption(key).build();
  }

  /** Two members with {@code security}, joined, with their receivers. */
  private List<RecordingReceiver> startPair(ClusterSecurity security) {
    RecordingReceiver atA = new RecordingReceiver();
    RecordingReceiver atB = new RecordingReceiver();
    transport(0, A, security).start(atA);
    transport(1, B, security).start(atB);
    await(atA.view(List.of(A, B)));
    await(atB.view(List.of(A, B)));
    return List.of(atA, atB);
  }

  /** Starts a node that should not get in: refused at start, or alone in its own view. */
  private JGroupsTransport startOutsider(ClusterSecurity security) {
    JGroupsTransport intruder = transport(2, INTRUDER, security);
    try {
      intruder.start(new RecordingReceiver());
      assertThat(intruder.currentView().members()).as("the outsider's own view").containsExactly(INTRUDER);
    } catch (TransportException refused) {
      // AUTH's rejection: JGroups' connect fails with a SecurityException.
      assertThat(refused).hasMessageContaining("could not join");
    }
    return intruder;
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
  void sameSecretAndKey_formOneView_andExchangeRequestsAndMessages() {
    ClusterSecurity security = security(TestKeys.secret(), TestKeys.aesKeystore(dir.resolve("k.p12")));
    List<RecordingReceiver> receivers = startPair(security);
    JGroupsTransport a = open.get(0);
    JGroupsTransport b = open.get(1);

    a.send(B, bytes("hello over SYM_ENCRYPT"));

    assertThat(text(await(a.request(B, bytes("ping"), LONG)))).isEqualTo("echo:ping");
    assertThat(text(await(b.request(A, bytes("pong"), LONG)))).isEqualTo("echo:pong");
    assertThat(receivers.get(1).texts()).containsExactly("hello over SYM_ENCRYPT");
    assertThat(a.stats().framesRejected() + b.stats().framesRejected()).isZero();
  }

  @Test
  void authWithoutEncryption_admitsTheSameSecret() {
    byte[] secret = TestKeys.secret();
    startPair(ClusterSecurity.builder().authSecret(secret).build());

    assertThat(text(await(open.get(0).request(B, bytes("ping"), LONG)))).isEqualTo("echo:ping");
  }

  @Test
  void wrongSecret_isRefused_andNeverListedByTheMembers() {
    byte[] secret = TestKeys.secret();
    KeystoreFile key = TestKeys.aesKeystore(dir.resolve("k.p12"));
    List<RecordingReceiver> receivers = startPair(security(secret, key));

    // Same key, so only AUTH can keep it out.
    startOutsider(security(TestKeys.secret(), key));
    pause(MERGE_ROUND_MILLIS);

    for (RecordingReceiver member : receivers) {
      assertThat(member.views()).extracting(View::members).noneMatch(m -> m.contains(INTRUDER));
    }
    assertThat(open.get(0).currentView().members()).containsExactly(A, B);
    assertThatThrownBy(() -> await(open.get(0).request(INTRUDER, bytes("hello?"), LONG)))
        .isInstanceOf(NodeUnreachableException.class);
  }

  @Test
  void wrongSecret_withoutEncryption_isRefusedToo() {
    List<RecordingReceiver> receivers = startPair(ClusterSecurity.builder().authSecret(TestKeys.secret()).build());

    startOutsider(ClusterSecurity.builder().authSecret(TestKeys.secret()).build());
    pause(MERGE_ROUND_MILLIS);

    for (RecordingReceiver member : receivers) {
      assertThat(member.views()).extracting(View::members).noneMatch(m -> m.contains(INTRUDER));
    }
  }

  @Test
  void wrongKey_cannotJoin_readsNothing_andIsNeverListed() {
    byte[] secret = TestKeys.secret();
    List<RecordingReceiver> receivers = startPair(security(secret, TestKeys.aesKeystore(dir.resolve("k.p12"))));

    // The right secret but another key: its join request cannot even be decrypted.
    JGroupsTransport intruder = startOutsider(security(secret, TestKeys.aesKeystore(dir.resolve("other.p12"))));
    pause(MERGE_ROUND_MILLIS);

    for (RecordingReceiver member : receivers) {
      assertThat(member.views()).extracting(View::members).noneMatch(m -> m.contains(INTRUDER));
    }
    assertThat(intruder.stats().framesDelivered()).isZero();
    assertThatThrownBy(() -> await(open.get(0).request(INTRUDER, bytes("hello?"), LONG)))
        .isInstanceOf(NodeUnreachableException.class);
  }

  @Test
  void encryptedWire_neverCarriesThePlaintext_whileAnUnencryptedWireDoes() {
    byte[] marker = ("QUIRE-PLAINTEXT-MARKER-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

    WireTap encrypted = tapAndExchange(security(TestKeys.secret(), TestKeys.aesKeystore(dir.resolve("k.p12"))),
        marker);
    closeAll();
    open.clear();
    WireTap plain = tapAndExchange(ClusterSecurity.NONE, marker);

    assertThat(encrypted.sent()).isNotEmpty();
    assertThat(encrypted.sawBytes(marker)).as("marker in encrypted traffic").isFalse();
    assertThat(plain.sawBytes(marker)).as("marker in plain traffic (the tap works)").isTrue();
  }

  /** Starts A (with a tap above its transport) and B, then sends the marker from A to B as a message and a request. */
  private WireTap tapAndExchange(ClusterSecurity security, byte[] marker) {
    LoopbackCluster pair = LoopbackCluster.of(2);
    JGroupsTransport a = pair.builder(0).security(security).build().create(A);
    open.add(a);
    JGroupsTransport b = pair.builder(1).security(security).build().create(B);
    open.add(b);
    WireTap tap = new WireTap();
    try {
      a.channel().getProtocolStack().insertProtocol(tap, ProtocolStack.Position.ABOVE, TP.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    RecordingReceiver atA = new RecordingReceiver();
    RecordingReceiver atB = new RecordingReceiver();
    a.start(atA);
    b.start(atB);
    await(atA.view(List.of(A, B)));
    String text = new String(marker, StandardCharsets.UTF_8);

    a.send(B, bytes(text));
    assertThat(text(await(a.request(B, bytes(text), LONG)))).isEqualTo("echo:" + text);

    assertThat(await(atB.messages(1))).extracting(RecordingReceiver.Received::text).containsExactly(text);
    return tap;
  }
}
