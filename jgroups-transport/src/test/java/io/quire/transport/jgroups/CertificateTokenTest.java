package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.transport.jgroups.TestCertificates.Identity;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.protocols.AUTH;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What {@link CertificateToken} admits: a chain from a trusted CA, signed for the message's source, this cluster and
 * about now, once; and what it refuses (logged, never thrown): every other case, including bytes that do not even
 * read as a token.
 */
class CertificateTokenTest {
  private static final String CLUSTER = "quire-cert-test";
  private static final Identity CA = TestCertificates.ca("Quire Test CA");
  private static final Identity OTHER_CA = TestCertificates.ca("Another CA");
  private static final Identity NODE = TestCertificates.node(CA, "node-a");
  private static final Identity RECEIVER = TestCertificates.node(CA, "node-b");

  private final Address sender = UUID.randomUUID();
  private final Address self = UUID.randomUUID();
  private final CertificateToken receiver = token(RECEIVER, CA, CLUSTER, System::currentTimeMillis, self);

  private static CertificateToken token(Identity identity, Identity trusted, String cluster, LongSupplier clock,
      Address self) {
    CertificateToken token = new CertificateToken(identity.key(), identity.chain(),
        Set.of(new TrustAnchor(trusted.certificate(), null)), () -> cluster, clock);
    AUTH auth = new AUTH();
    auth.setAddress(self);
    token.setAuth(auth);
    return token;
  }

  /** What {@code identity} at {@link #sender} puts on the wire. */
  private byte[] wire(Identity identity, String cluster, LongSupplier clock) throws IOException {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream();
    token(identity, CA, cluster, clock, sender).writeTo(out);
    return Arrays.copyOf(out.buffer(), out.position());
  }

  private byte[] wire(Identity identity) throws IOException {
    return wire(identity, CLUSTER, System::currentTimeMillis);
  }

  private static CertificateToken read(byte[] bytes) throws IOException {
    CertificateToken received = new CertificateToken();
    received.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    return received;
  }

  private boolean admits(byte[] bytes, Address from) throws IOException {
    return receiver.authenticate(read(bytes), new EmptyMessage().setSrc(from));
  }

  private boolean admits(byte[] bytes) throws IOException {
    return admits(bytes, sender);
  }

  /** Why the receiver refuses {@code bytes} from {@link #sender}; null if it admits them. */
  private String refusal(byte[] bytes) throws IOException {
    return receiver.refusal(read(bytes), sender);
  }

  @Test
  void aChainFromTheTrustedCa_signedForTheSenderAndCluster_isAdmitted() throws Exception {
    assertThat(admits(wire(NODE))).isTrue();
  }

  @Test
  void anRsaNodeKey_signsWithSha256WithRsa_andIsAdmitted() throws Exception {
    Identity rsa = TestCertificates.node(CA, "node-rsa", "RSA", Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofDays(1)));

    assertThat(admits(wire(rsa))).isTrue();
  }

  @Test
  void aChainFromAnotherCa_orASelfSignedCertificate_isRefused() throws Exception {
    assertThat(refusal(wire(TestCertificates.node(OTHER_CA, "intruder")))).contains("CN=intruder: not trusted");
    assertThat(refusal(wire(TestCertificates.selfSigned("loner")))).contains("CN=loner: not trusted");
  }

  @Test
  void anExpiredCertificate_orOneNotYetValid_isRefused() throws Exception {
    Identity expired = TestCertificates.node(CA, "expired", "EC", Instant.now().minus(Duration.ofDays(2)),
        Instant.now().minus(Duration.ofDays(1)));
    Identity future = TestCertificates.node(CA, "future", "EC", Instant.now().plus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(2)));

    assertThat(refusal(wire(expired))).contains("CN=expired: not trusted (EXPIRED").contains("valid from");
    assertThat(refusal(wire(future))).contains("CN=future: not trusted (NOT_YET_VALID").contains("valid from");
  }

  @Test
  void aTokenSignedForAnotherAddress_isRefused() throws Exception {
    assertThat(admits(wire(NODE), UUID.randomUUID())).isFalse();
    assertThat(receiver.refusal(read(wire(NODE)), UUID.randomUUID())).contains("another address");
  }

  @Test
  void aTokenForAnotherCluster_isRefused() throws Exception {
    assertThat(refusal(wire(NODE, "another-cluster", System::currentTimeMillis)))
        .contains("made for cluster 'another-cluster'");
  }

  @Test
  void aTimestampBeyondTheSkew_eitherWay_isRefused_butOneWithinIsAdmitted() throws Exception {
    long skew = CertificateToken.MAX_SKEW.toMillis();

    assertThat(refusal(wire(NODE, CLUSTER, () -> System.currentTimeMillis() - skew - 60_000))).contains("its time");
    assertThat(refusal(wire(NODE, CLUSTER, () -> System.currentTimeMillis() + skew + 60_000))).contains("its time");
    assertThat(admits(wire(NODE, CLUSTER, () -> System.currentTimeMillis() - skew + 60_000))).isTrue();
  }

  @Test
  void aTamperedSignature_orATamperedSignedField_isRefused() throws Exception {
    byte[] signature = wire(NODE);
    signature[signature.length - 3] ^= 0x01;
    byte[] field = wire(NODE);
    field[field.length - 80] ^= 0x01; // inside the nonce or timestamp, in front of the signature

    assertThat(refusal(signature)).satisfiesAnyOf(r -> assertThat(r).contains("signature does not verify"),
        r -> assertThat(r).contains("unreadable (SignatureException"));
    assertThat(refusal(field)).contains("signature does not verify");
  }

  @Test
  void theSameBytesSentAgain_areRefusedAsAReplay_butTheSameHeaderCheckedTwiceIsNot() throws Exception {
    byte[] captured = wire(NODE);
    CertificateToken first = read(captured);
    Message message = new EmptyMessage().setSrc(sender);

    assertThat(receiver.authenticate(first, message)).isTrue();
    assertThat(receiver.authenticate(first, message)).as("GatedAsymEncrypt's check, then AUTH's").isTrue();
    assertThat(refusal(captured)).as("the captured bytes again").contains("nonce was used before");
  }

  @Test
  void everyTruncation_failsToRead_withAnIOException() throws Exception {
    byte[] whole = wire(NODE);
    for (int length = 0; length < whole.length; length++) {
      byte[] truncated = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> read(truncated)).as("first %d bytes", length).isInstanceOf(IOException.class);
    }
  }

  @Test
  void oversizedLengths_failToRead_beforeAnythingIsAllocated() {
    byte[] hugeChain = {CertificateToken.FORMAT, (byte) 200};
    byte[] hugeCertificate = {CertificateToken.FORMAT, 1, (byte) 0xFF, (byte) 0xFF};
    byte[] unknownFormat = {7, 1, 0, 1, 0};

    assertThatThrownBy(() -> read(hugeChain)).isInstanceOf(IOException.class).hasMessageContaining("chain of 200");
    assertThatThrownBy(() -> read(hugeCertificate)).isInstanceOf(IOException.class)
        .hasMessageContaining("65535 bytes");
    assertThatThrownBy(() -> read(unknownFormat)).isInstanceOf(IOException.class).hasMessageContaining("format 7");
  }

  @Test
  void garbage_eitherFailsToRead_orIsRefused_neverThrowsAnythingElse() throws Exception {
    Random random = new Random(42);
    byte[] valid = wire(NODE);
    for (int i = 0; i < 300; i++) {
      byte[] garbage = valid.clone();
      for (int flips = 0; flips < 1 + random.nextInt(8); flips++) {
        garbage[random.nextInt(garbage.length)] ^= (byte) (1 + random.nextInt(255)); // always a change
      }
      if (i % 3 == 0) {
        random.nextBytes(garbage);
        garbage[0] = CertificateToken.FORMAT;
      }
      CertificateToken received;
      try {
        received = read(garbage);
      } catch (IOException unreadable) {
        continue;
      }
      assertThat(receiver.authenticate(received, new EmptyMessage().setSrc(sender))).as("garbage %d", i).isFalse();
    }
  }

  @Test
  void theLocalTokenItself_admitsOnlyItsOwnLoopback_andAReadTokenAdmitsNobody() throws Exception {
    CertificateToken readOnly = read(wire(NODE));

    assertThat(receiver.authenticate(receiver, new EmptyMessage().setSrc(self))).isTrue();
    assertThat(receiver.authenticate(receiver, new EmptyMessage().setSrc(sender))).isFalse();
    assertThat(readOnly.authenticate(read(wire(NODE)), new EmptyMessage().setSrc(sender))).isFalse();
  }

  @Test
  void aKeyBinding_verifiesOnlyForTheAdmittedSendersCertificate_andTheBoundKey() throws Exception {
    CertificateToken atSender = token(NODE, CA, CLUSTER, System::currentTimeMillis, sender);
    CertificateToken received = read(wire(NODE));
    assertThat(receiver.authenticate(received, new EmptyMessage().setSrc(sender))).isTrue();
    byte[] publicKey = TestCertificates.keyPair("RSA").getPublic().getEncoded();
    byte[] binding = atSender.bind(sender, publicKey);

    assertThat(receiver.verifyBinding(received, sender, publicKey, binding)).isTrue();
    assertThat(receiver.verifyBinding(received, sender, Arrays.copyOf(publicKey, publicKey.length - 1), binding))
        .as("another key").isFalse();
    assertThat(receiver.verifyBinding(received, UUID.randomUUID(), publicKey, binding)).as("another owner")
        .isFalse();
    assertThat(receiver.verifyBinding(read(wire(NODE)), sender, publicKey, binding)).as("a token not admitted")
        .isFalse();
    CertificateToken other = token(TestCertificates.node(CA, "node-c"), CA, CLUSTER, System::currentTimeMillis,
        sender);
    assertThat(receiver.verifyBinding(received, sender, publicKey, other.bind(sender, publicKey)))
        .as("signed by another node's key").isFalse();
  }

  @Test
  void aKeyThatCannotSign_isRefusedWhenTheTokenIsMade() {
    assertThatThrownBy(() -> CertificateToken.signatureAlgorithm("DSA")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA or EC");
  }
}
