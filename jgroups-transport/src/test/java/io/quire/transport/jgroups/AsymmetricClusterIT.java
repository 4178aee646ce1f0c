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
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Message;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.protocols.TP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ASYM_ENCRYPT with AUTH on 127.0.0.1 (issue 5): nodes with the same secret get the coordinator's group key, form
 * one view and talk, and the wire never carries the plaintext; a node with another secret, or none, is refused and
 * never holds the members' group key, even though the coordinator hands that key out in JOIN responses.
 */
class AsymmetricClusterIT {
  static final NodeId A = new NodeId(0xA1);
  static final NodeId B = new NodeId(0xB2);
  static final NodeId INTRUDER = new NodeId(0xC3);
  static final Duration LONG = Duration.ofSeconds(10);
  /** Longer than the loopback stack's MERGE3 check interval (2 s): time for a merge attempt to have happened. */
  static final long MERGE_ROUND_MILLIS = 3_000;

  private final List<JGroupsTransport> open = new ArrayList<>();
  private final LoopbackCluster cluster = LoopbackCluster.of(3);

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }

  private static ClusterSecurity asymmetric(byte[] secret) {
    return ClusterSecurity.builder().authSecret(secret).asymmetricEncryption().build();
  }

  private JGroupsTransport transport(LoopbackCluster on, int slot, NodeId id, ClusterSecurity security) {
    JGroupsTransport transport = on.builder(slot).security(security)
        // A refused or unheard joiner gives up after two attempts (2 x 0.5 s) instead of ten.
        .property("GMS", "max_join_attempts", "2")
        .build().create(id);
    open.add(transport);
    return transport;
  }

  /** Two members with {@code security}, joined, with their receivers; {@code tap} (if any) goes above A's TCP. */
  private List<RecordingReceiver> startPair(LoopbackCluster on, ClusterSecurity security, Protocol tap) {
    JGroupsTransport a = transport(on, 0, A, security);
    JGroupsTransport b = transport(on, 1, B, security);
    if (tap != null) {
      insert(a, tap, TP.class);
    }
    RecordingReceiver atA = new RecordingReceiver();
    RecordingReceiver atB = new RecordingReceiver();
    a.start(atA);
    b.start(atB);
    await(atA.view(List.of(A, B)));
    await(atB.view(List.of(A, B)));
    return List.of(atA, atB);
  }

  private static void insert(JGroupsTransport transport, Protocol protocol, Class<? extends Protocol> above) {
    try {
      transport.channel().getProtocolStack().insertProtocol(protocol, ProtocolStack.Position.ABOVE, above);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ASYM_ENCRYPT asym(JGroupsTransport transport) {
    return transport.channel().getProtocolStack().findProtocol(ASYM_ENCRYPT.class);
  }

  private static String hex(Key key) {
    return key == null ? "none" : HexFormat.of().formatHex(key.getEncoded());
  }

  @Test
  void sameSecret_getTheCoordinatorsGroupKey_formOneView_andExchangeRequestsAndMessages() {
    List<RecordingReceiver> receivers = startPair(cluster, asymmetric(TestKeys.secret()), null);
    JGroupsTransport a = open.get(0);
    JGroupsTransport b = open.get(1);

    a.send(B, bytes("hello over ASYM_ENCRYPT"));

    assertThat(text(await(a.request(B, bytes("ping"), LONG)))).isEqualTo("echo:ping");
    assertThat(text(await(b.request(A, bytes("pong"), LONG)))).isEqualTo("echo:pong");
    assertThat(await(receivers.get(1).messages(1))).extracting(RecordingReceiver.Received::text)
        .containsExactly("hello over ASYM_ENCRYPT");
    assertThat(asym(a).isKeyServer()).as("A, the coordinator, is the key server").isTrue();
    assertThat(hex(asym(b).secretKey())).as("B's group key").isEqualTo(hex(asym(a).secretKey()));
    assertThat(a.stats().framesRejected() + b.stats().framesRejected()).isZero();
  }

  @Test
  void encryptedWire_neverCarriesThePlaintext() {
    byte[] marker = ("QUIRE-PLAINTEXT-MARKER-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    WireTap tap = new WireTap();
    List<RecordingReceiver> receivers = startPair(LoopbackCluster.of(2), asymmetric(TestKeys.secret()), tap);
    String text = new String(marker, StandardCharsets.UTF_8);

    open.get(0).send(B, bytes(text));
    assertThat(text(await(open.get(0).request(B, bytes(text), LONG)))).isEqualTo("echo:" + text);

    assertThat(await(receivers.get(1).messages(1))).extracting(RecordingReceiver.Received::text)
        .containsExactly(text);
    assertThat(tap.sent()).isNotEmpty();
    assertThat(tap.sawBytes(marker)).as("marker in ASYM_ENCRYPT traffic").isFalse();
  }

  @Test
  void wrongSecret_isRefused_neverHoldsTheGroupKey_andIsNeverListed() {
    List<RecordingReceiver> receivers = startPair(cluster, asymmetric(TestKeys.secret()), null);
    KeyWatch atA = new KeyWatch(asym(open.get(0)));
    insert(open.get(0), atA, ASYM_ENCRYPT.class);

    JGroupsTransport intruder = transport(cluster, 2, INTRUDER, asymmetric(TestKeys.secret()));
    KeyWatch atIntruder = new KeyWatch(asym(intruder));
    insert(intruder, atIntruder, ASYM_ENCRYPT.class);
    startRefused(intruder);
    pause(MERGE_ROUND_MILLIS);
    atA.record();

    assertThat(atIntruder.seen()).as("group keys the intruder held")
        .doesNotContainAnyElementsOf(atA.seen());
    assertThat(((GatedAsymEncrypt) asym(open.get(0))).publicKeyHolders()).as("public keys the coordinator keeps")
        .isSubsetOf(open.get(0).channel().getAddress(), open.get(1).channel().getAddress());
    assertNeverListed(receivers);
  }

  @Test
  void noSecretNoEncryption_isRefused_andIsNeverListed() {
    List<RecordingReceiver> receivers = startPair(cluster, asymmetric(TestKeys.secret()), null);

    JGroupsTransport intruder = transport(cluster, 2, INTRUDER, ClusterSecurity.NONE);
    startRefused(intruder);
    pause(MERGE_ROUND_MILLIS);

    assertNeverListed(receivers);
    assertThat(intruder.stats().framesDelivered()).isZero();
  }

  /** Starts a node that should not get in: refused at start, or alone in its own view. */
  private static void startRefused(JGroupsTransport intruder) {
    try {
      intruder.start(new RecordingReceiver());
      assertThat(intruder.currentView().members()).as("the outsider's own view").containsExactly(INTRUDER);
    } catch (TransportException refused) {
      assertThat(refused).hasMessageContaining("could not join");
    }
  }

  private void assertNeverListed(List<RecordingReceiver> receivers) {
    for (RecordingReceiver member : receivers) {
      assertThat(member.views()).extracting(View::members).noneMatch(m -> m.contains(INTRUDER));
    }
    assertThat(open.get(0).currentView().members()).containsExactly(A, B);
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

  /**
   * A test-only protocol directly above ASYM_ENCRYPT: after every message ASYM_ENCRYPT passes up (a JOIN response
   * with its key included), it records the group key ASYM_ENCRYPT then holds.
   */
  static final class KeyWatch extends Protocol {
    private final ASYM_ENCRYPT encrypt;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    KeyWatch(ASYM_ENCRYPT encrypt) {
      this.encrypt = encrypt;
    }

    void record() {
      seen.add(hex(encrypt.secretKey()));
    }

    Set<String> seen() {
      record();
      seen.remove("none");
      return Set.copyOf(seen);
    }

    @Override
    public Object up(Message message) {
      record();
      try {
        return up_prot.up(message);
      } finally {
        record();
      }
    }

    @Override
    public void up(MessageBatch batch) {
      record();
      try {
        up_prot.up(batch);
      } finally {
        record();
      }
    }
  }
}
