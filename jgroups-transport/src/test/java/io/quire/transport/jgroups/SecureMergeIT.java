package io.quire.transport.jgroups;

import static io.quire.transport.jgroups.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.View;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two authenticated, encrypted members cut apart install views of their own, and merge again when healed: AUTH
 * checks every MERGE_REQ, including the one a merge leader sends to itself, which loopback delivers unserialized.
 */
class SecureMergeIT {
  private static final NodeId A = new NodeId(0xA1);
  private static final NodeId B = new NodeId(0xB2);

  @TempDir
  Path dir;

  private final List<JGroupsTransport> open = new ArrayList<>();
  private final LoopbackCluster cluster = LoopbackCluster.of(2);

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }

  @Test
  void securedMembersCutApart_mergeBackIntoOneViewWhenHealed() throws Exception {
    ClusterSecurity security = ClusterSecurity.builder().authSecret(TestKeys.secret())
        .symmetricEncryption(TestKeys.aesKeystore(dir.resolve("keys.p12"))).build();
    cutApartAndMerge(security, security);
  }

  @Test
  void certificateMembersWithAsymEncrypt_cutApart_mergeBackIntoOneViewWhenHealed() throws Exception {
    // ASYM_ENCRYPT binds each MERGE_RSP's public key to the sender's certificate, the leader's own one included.
    TestCertificates.Identity ca = TestCertificates.ca("Merge CA");
    KeystoreFile trust = TestCertificates.truststore(dir.resolve("trust.p12"), ca);
    cutApartAndMerge(certificates(TestCertificates.node(ca, "node-a"), trust, "a.p12"),
        certificates(TestCertificates.node(ca, "node-b"), trust, "b.p12"));
  }

  private ClusterSecurity certificates(TestCertificates.Identity identity, KeystoreFile trust, String file) {
    return ClusterSecurity.builder().certificateAuth(TestCertificates.keystore(dir.resolve(file), identity), trust)
        .asymmetricEncryption().build();
  }

  private void cutApartAndMerge(ClusterSecurity atFirst, ClusterSecurity atSecond) throws Exception {
    RecordingReceiver atA = new RecordingReceiver();
    RecordingReceiver atB = new RecordingReceiver();
    JGroupsTransport a = cluster.builder(0).security(atFirst).build().create(A);
    open.add(a);
    a.start(atA);
    JGroupsTransport b = cluster.builder(1).security(atSecond).build().create(B);
    open.add(b);
    b.start(atB);
    View both = await(atA.view(List.of(A, B)));
    // Cut the members of one view apart: B too must have installed it (else this is a join cut short, not a split).
    await(atB.view(List.of(A, B)));

    DISCARD cut = new DISCARD();
    cut.setAddress(b.channel().getAddress());
    b.channel().getProtocolStack().insertProtocol(cut, ProtocolStack.Position.ABOVE, TP.class);
    cut.discardAll(true);
    View aAlone = await(atA.view(List.of(A), both.viewId()));
    View bAlone = await(atB.view(List.of(B), both.viewId()));

    cut.discardAll(false);
    View merged = await(atA.view(List.of(A, B), aAlone.viewId()));
    assertThat(await(atB.view(List.of(A, B), bAlone.viewId()))).isEqualTo(merged);
  }
}
