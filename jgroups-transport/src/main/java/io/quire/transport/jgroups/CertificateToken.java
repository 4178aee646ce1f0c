package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;

/**
 * JGroups AUTH token for certificate authentication: each node has its own private key and a certificate chain
 * issued by a CA that every member trusts. Replaces JGroups' {@code X509Token}, which sends one static encrypted
 * string (replayable from any address) and validates no chain.
 *
 * <p>On the wire (in the AUTH header of a JOIN or MERGE request, and with {@code authenticate_coord} of the answers):
 * a format byte, the sender's certificate chain (DER, leaf first), the sender's JGroups address, the cluster name, the
 * sender's clock ({@code System.currentTimeMillis()}), a fresh 16-byte nonce per serialization, and a signature over
 * all of that ({@code SHA256withRSA} or {@code SHA256withECDSA}, after the key) made with the sender's private key.
 * Every length is checked against a bound before anything is allocated; a malformed header fails to read
 * ({@link IOException}, so JGroups drops the message) and a well-formed but wrong one is refused and logged.
 *
 * <p>The receiver admits the token only if: the chain validates (PKIX) against its trust store at its own current
 * time, so an expired or not-yet-valid certificate is refused; revocation is <b>not</b> checked (no CRL or OCSP:
 * cluster nodes often reach no CA; remove a node by reissuing the CA, or by shortening certificate lifetimes); the
 * leaf, if it has a key usage, allows digital signatures; the signature verifies with the leaf's public key; the
 * signed address is the message's source; the signed cluster name is the receiver's; the signed time is within
 * {@link #MAX_SKEW} of the receiver's clock; and the nonce was not seen before within that window.
 *
 * <p>Replay. A captured token is bound to its address and cluster and expires after {@link #MAX_SKEW}; within that
 * window the nonce memory refuses a second use at the same receiver. Someone who replays a captured JOIN request to a
 * node that has not seen it yet (another member, after a coordinator change) is at most admitting the original
 * sender's address, whose traffic it cannot read with encryption on; with SYM_ENCRYPT it cannot read the request in
 * the first place, and with ASYM_ENCRYPT the public key that would receive the group key is bound to the certificate
 * by a signature ({@link GatedAsymEncrypt}), so a replay only gets the group key encrypted for the original joiner.
 *
 * <p>JGroups creates the receiving side's instances by reflection (public no-argument constructor): they only carry
 * what was read. The sending and checking instance is the one {@link ClusterSecurity} gives AUTH.
 */
public final class CertificateToken extends AuthToken {
  /** The largest difference between the sender's clock and the receiver's that a token may show. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);
  static final byte FORMAT = 1;
  static final int MAX_CHAIN = 8;
  static final int MAX_CERTIFICATE_BYTES = 16_384;
  static final int MAX_ADDRESS_BYTES = 64;
  static final int MAX_CLUSTER_BYTES = 1_024;
  static final int NONCE_BYTES = 16;
  static final int MAX_SIGNATURE_BYTES = 1_024;
  /** The nonces remembered (each for {@link #MAX_SKEW} past its time): bounds the memory one node spends on them. */
  static final int MAX_REMEMBERED_NONCES = 8_192;
  private static final byte[] CONTEXT = "quire-cert-auth-1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BINDING_CONTEXT = "quire-cert-asym-key-1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  // Set on the local instance only; never serialized except the chain.
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final List<byte[]> encodedChain;
  private final Set<TrustAnchor> anchors;
  private final Supplier<String> clusterName;
  private final LongSupplier clock;
  private final NonceMemory nonces;

  // Set on instances read from the wire only.
  private byte format;
  private byte[][] receivedChain;
  private byte[] address;
  private byte[] cluster;
  private long timestamp;
  private byte[] nonce;
  private byte[] signature;
  /** The local token that admitted this received one, and the leaf it validated: set once, by that token. */
  private volatile CertificateToken admittedBy;
  private volatile X509Certificate admittedLeaf;

  /** For JGroups, which reads received tokens into fresh instances; such an instance cannot authenticate anyone. */
  public CertificateToken() {
    this.privateKey = null;
    this.chain = null;
    this.encodedChain = null;
    this.anchors = null;
    this.clusterName = null;
    this.clock = null;
    this.nonces = null;
  }

  /**
   * The local token.
   *
   * @param clusterName the cluster the channel connects to (not the channel's {@code getClusterName()}, which is
   *     null until the join is done)
   * @param clock the time in milliseconds since the epoch; tests pass a skewed one
   */
  CertificateToken(PrivateKey privateKey, List<X509Certificate> chain, Set<TrustAnchor> anchors,
      Supplier<String> clusterName, LongSupplier clock) {
    this.privateKey = requireNonNull(privateKey, "privateKey");
    this.chain = List.copyOf(chain);
    if (this.chain.isEmpty() || this.chain.size() > MAX_CHAIN) {
      throw new IllegalArgumentException("a certificate chain of 1 to " + MAX_CHAIN + " certificates, not "
          + this.chain.size());
    }
    this.anchors = Set.copyOf(anchors);
    if (this.anchors.isEmpty()) {
      throw new IllegalArgumentException("no trust anchors");
    }
    this.clusterName = requireNonNull(clusterName, "clusterName");
    this.clock = requireNonNull(clock, "clock");
    this.nonces = new NonceMemory();
    List<byte[]> encoded = new ArrayList<>();
    for (X509Certificate certificate : this.chain) {
      try {
        encoded.add(certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
      }
    }
    if (encoded.stream().anyMatch(bytes -> bytes.length > MAX_CERTIFICATE_BYTES)) {
      throw new IllegalArgumentException("a certificate of the chain is larger than " + MAX_CERTIFICATE_BYTES
          + " bytes");
    }
    this.encodedChain = List.copyOf(encoded);
    signatureAlgorithm(privateKey.getAlgorithm()); // fails now for a key we cannot sign with
  }

  /** {@code SHA256withRSA} or {@code SHA256withECDSA}, after the key's algorithm. */
  static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new IllegalArgumentException("a " + keyAlgorithm + " key cannot sign certificate AUTH "
          + "tokens; use an RSA or EC key");
    };
  }

  @Override
  public String getName() {
    return CertificateToken.class.getName();
  }

  @Override
  public int size() {
    // An upper bound (the signature's length varies): JGroups only sizes buffers with it.
    int chainBytes = 0;
    for (byte[] certificate : encodedChain != null ? encodedChain
        : receivedChain != null ? Arrays.asList(receivedChain) : List.<byte[]>of()) {
      chainBytes += Short.BYTES + certificate.length;
    }
    return 2 + chainBytes + 1 + MAX_ADDRESS_BYTES + Short.BYTES + MAX_CLUSTER_BYTES + Long.BYTES + NONCE_BYTES
        + Short.BYTES + MAX_SIGNATURE_BYTES;
  }

  /** The local address, as AUTH knows it. */
  private Address self() {
    return auth != null ? auth.getAddress() : null;
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    if (privateKey == null) {
      throw new IOException("a token read from the wire cannot be sent");
    }
    Address self = self();
    String name = clusterName.get();
    if (self == null || name == null) {
      throw new IOException("the local address or cluster name is not known yet");
    }
    byte[] fresh = new byte[NONCE_BYTES];
    RANDOM.nextBytes(fresh);
    byte[] body = body(encodedChain.toArray(byte[][]::new), SharedSecretToken.addressBytes(self),
        name.getBytes(StandardCharsets.UTF_8), clock.getAsLong(), fresh);
    byte[] signed = sign(CONTEXT, body);
    out.write(body);
    out.writeShort(signed.length);
    out.write(signed);
  }

  @Override
  public void readFrom(DataInput in) throws IOException {
    format = in.readByte();
    if (format != FORMAT) {
      throw new IOException("certificate token of unknown format " + format);
    }
    int count = in.readUnsignedByte();
    if (count < 1 || count > MAX_CHAIN) {
      throw new IOException("certificate chain of " + count + " certificates; at most " + MAX_CHAIN);
    }
    byte[][] certificates = new byte[count][];
    for (int i = 0; i < count; i++) {
      certificates[i] = readBounded(in, in.readUnsignedShort(), 1, MAX_CERTIFICATE_BYTES, "certificate");
    }
    receivedChain = certificates;
    address = readBounded(in, in.readUnsignedByte(), 1, MAX_ADDRESS_BYTES, "address");
    cluster = readBounded(in, in.readUnsignedShort(), 0, MAX_CLUSTER_BYTES, "cluster name");
    timestamp = in.readLong();
    nonce = readBounded(in, NONCE_BYTES, NONCE_BYTES, NONCE_BYTES, "nonce");
    signature = readBounded(in, in.readUnsignedShort(), 1, MAX_SIGNATURE_BYTES, "signature");
  }

  private static byte[] readBounded(DataInput in, int length, int min, int max, String what) throws IOException {
    if (length < min || length > max) {
      throw new IOException("certificate token " + what + " of " + length + " bytes; allowed " + min + ".." + max);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  /** The signed part, in the order it travels. */
  private static byte[] body(byte[][] certificates, byte[] address, byte[] cluster, long timestamp, byte[] nonce)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(FORMAT);
    out.writeByte(certificates.length);
    for (byte[] certificate : certificates) {
      out.writeShort(certificate.length);
      out.write(certificate);
    }
    if (address.length > MAX_ADDRESS_BYTES || cluster.length > MAX_CLUSTER_BYTES) {
      throw new IOException("address or cluster name too long for a certificate token");
    }
    out.writeByte(address.length);
    out.write(address);
    out.writeShort(cluster.length);
    out.write(cluster);
    out.writeLong(timestamp);
    out.write(nonce);
    out.flush();
    return bytes.toByteArray();
  }

  private byte[] sign(byte[] context, byte[] data) throws IOException {
    try {
      Signature signer = Signature.getInstance(signatureAlgorithm(privateKey.getAlgorithm()));
      signer.initSign(privateKey, RANDOM);
      signer.update(context);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign the certificate token: " + e.getClass().getSimpleName(), e);
    }
  }

  private static boolean verify(PublicKey key, byte[] context, byte[] data, byte[] signed)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(signatureAlgorithm(key.getAlgorithm()));
    verifier.initVerify(key);
    verifier.update(context);
    verifier.update(data);
    return verifier.verify(signed);
  }

  @Override
  public boolean authenticate(AuthToken token, Message message) {
    if (privateKey == null || !(token instanceof CertificateToken received)) {
      return false;
    }
    Address from = message.getSrc();
    if (from == null) {
      return false;
    }
    if (received.privateKey != null) {
      // Not read from the wire: a request this node sent itself, delivered by loopback without serialization (a
      // merge leader sends MERGE_REQ to every coordinator, itself included). Only the local instance has a private
      // key, so a peer cannot forge this case.
      return received == this && from.equals(self());
    }
    if (received.admittedBy == this) {
      return true; // the same received header, checked again (GatedAsymEncrypt's gate, then AUTH)
    }
    String refusal = refusal(received, from);
    if (refusal != null) {
      log.warn("%s: refused the certificate token of %s: %s", self(), from, refusal);
      return false;
    }
    return true;
  }

  /** Why {@code received} from {@code from} is not admitted, or null (and then it is marked admitted). */
  String refusal(CertificateToken received, Address from) {
    try {
      if (received.format != FORMAT || received.receivedChain == null || received.signature == null) {
        return "incomplete token";
      }
      long now = clock.getAsLong();
      long skew = Math.abs(now - received.timestamp);
      if (skew > MAX_SKEW.toMillis()) {
        return "its time differs from this node's by " + Duration.ofMillis(skew) + " (at most " + MAX_SKEW
            + " allowed: a stale or replayed token, or clocks out of sync)";
      }
      String local = clusterName.get();
      String claimed = new String(received.cluster, StandardCharsets.UTF_8);
      if (!claimed.equals(local)) {
        return "made for cluster '" + claimed + "', this is '" + local + "'";
      }
      if (!Arrays.equals(received.address, SharedSecretToken.addressBytes(from))) {
        return "made for another address than the message's source";
      }
      List<X509Certificate> certificates = parse(received.receivedChain);
      X509Certificate leaf = certificates.get(0);
      String invalid = validate(certificates, now);
      if (invalid != null) {
        return "certificate " + leaf.getSubjectX500Principal() + ": " + invalid;
      }
      boolean[] usage = leaf.getKeyUsage();
      if (usage != null && !usage[0]) {
        return "certificate " + leaf.getSubjectX500Principal() + " does not allow digital signatures";
      }
      byte[] body = body(received.receivedChain, received.address, received.cluster, received.timestamp,
          received.nonce);
      if (!verify(leaf.getPublicKey(), CONTEXT, body, received.signature)) {
        return "the signature does not verify with the key of " + leaf.getSubjectX500Principal();
      }
      if (!nonces.firstUse(received.nonce, received.timestamp + MAX_SKEW.toMillis(), now)) {
        return "its nonce was used before (a replayed token)";
      }
      received.admittedLeaf = leaf;
      received.admittedBy = this;
      return null;
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return "unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
  }

  private static List<X509Certificate> parse(byte[][] encoded) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    for (byte[] bytes : encoded) {
      if (!(factory.generateCertificate(new ByteArrayInputStream(bytes)) instanceof X509Certificate x509)) {
        throw new GeneralSecurityException("not an X.509 certificate");
      }
      certificates.add(x509);
    }
    return certificates;
  }

  /** Why the chain does not validate against the trust store at {@code now}, or null. */
  private String validate(List<X509Certificate> certificates, long now) throws GeneralSecurityException {
    // A CertPath for PKIX ends below the trust anchor: cut the chain at the first trusted certificate.
    int end = certificates.size();
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate certificate = certificates.get(i);
      if (anchors.stream().anyMatch(anchor -> certificate.equals(anchor.getTrustedCert()))) {
        end = i;
        break;
      }
    }
    Date at = new Date(now);
    if (end == 0) {
      // The leaf itself is trusted (a self-signed node certificate in the trust store): only its dates remain.
      try {
        certificates.get(0).checkValidity(at);
        return null;
      } catch (GeneralSecurityException e) {
        return e.getMessage();
      }
    }
    PKIXParameters parameters = new PKIXParameters(anchors);
    parameters.setRevocationEnabled(false); // see the class comment
    parameters.setDate(at);
    try {
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(certificates.subList(0, end)), parameters);
      return null;
    } catch (java.security.cert.CertPathValidatorException e) {
      String dates = "";
      if (e.getIndex() >= 0 && e.getIndex() < end && (e.getReason() == BasicReason.EXPIRED
          || e.getReason() == BasicReason.NOT_YET_VALID)) {
        X509Certificate outdated = certificates.get(e.getIndex());
        dates = "; " + outdated.getSubjectX500Principal() + " is valid from " + outdated.getNotBefore().toInstant()
            + " to " + outdated.getNotAfter().toInstant() + ", this node's time is " + at.toInstant();
      }
      return "not trusted (" + e.getReason() + ": " + e.getMessage() + dates + ")";
    }
  }

  /**
   * The signature with which {@link GatedAsymEncrypt} binds ASYM_ENCRYPT's public key to this node's certificate.
   */
  byte[] bind(Address owner, byte[] publicKey) {
    try {
      return sign(BINDING_CONTEXT, concat(SharedSecretToken.addressBytes(owner), publicKey));
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Whether {@code binding} is the signature of {@code publicKey} for {@code owner} by the certificate of
   * {@code received}: a token that this token admitted (or this token itself, for loopback).
   */
  boolean verifyBinding(AuthToken received, Address owner, byte[] publicKey, byte[] binding) {
    X509Certificate leaf;
    if (received == this) {
      leaf = chain.get(0);
    } else if (received instanceof CertificateToken token && token.admittedBy == this) {
      leaf = token.admittedLeaf;
    } else {
      return false;
    }
    try {
      return verify(leaf.getPublicKey(), BINDING_CONTEXT,
          concat(SharedSecretToken.addressBytes(owner), publicKey), binding);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + Integer.BYTES + second.length);
    ByteBuffer.wrap(both, first.length, Integer.BYTES).putInt(second.length);
    System.arraycopy(second, 0, both, first.length + Integer.BYTES, second.length);
    return both;
  }

  /** The subject of this node's certificate, for logs. */
  String subject() {
    return chain != null ? chain.get(0).getSubjectX500Principal().getName() : "(received)";
  }

  @Override
  public String toString() {
    return "CertificateToken[" + subject() + "]"; // never the key or signature
  }

  /**
   * The nonces of admitted tokens, each until its token's time plus {@link #MAX_SKEW} (after which the time check
   * refuses it anyway). Owned by one local token; every access holds the instance's monitor, since AUTH checks
   * tokens on JGroups' thread pool. Only admitted tokens are remembered, so an attacker cannot fill it; if
   * {@link #MAX_REMEMBERED_NONCES} admitted tokens arrive within one window, the oldest is forgotten early.
   */
  static final class NonceMemory {
    private final Map<ByteBuffer, Long> expiries = new LinkedHashMap<>();

    synchronized boolean firstUse(byte[] nonce, long expiry, long now) {
      for (Iterator<Long> it = expiries.values().iterator(); it.hasNext();) {
        if (it.next() < now) {
          it.remove();
        }
      }
      ByteBuffer key = ByteBuffer.wrap(nonce.clone());
      if (expiries.containsKey(key)) {
        return false;
      }
      if (expiries.size() >= MAX_REMEMBERED_NONCES) {
        Iterator<ByteBuffer> eldest = expiries.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
      expiries.put(key, expiry);
      return true;
    }
  }
}
