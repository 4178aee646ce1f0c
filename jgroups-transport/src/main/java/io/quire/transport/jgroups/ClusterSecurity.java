package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.GridConfigurationException;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.JChannel;
import org.jgroups.auth.AuthToken;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;

/**
 * Who may join a cluster and who can read its traffic: the JGroups protocols that {@link JGroupsTransportFactory}
 * inserts into every channel's stack. Immutable; keys are read and checked by {@link Builder#build()}, so a missing
 * keystore or a wrong password fails there, naming the file, not at the first join.
 *
 * <ul>
 *   <li><b>Authentication</b> ({@link Builder#authSecret}): JGroups' AUTH, directly below GMS, with a
 *       {@link SharedSecretToken}. The coordinator admits a JOIN or MERGE request only if it carries an HMAC made with
 *       the same secret; a node with another secret is refused (its {@code start} fails) and never appears in a view.
 *   <li><b>Certificate authentication</b> ({@link Builder#certificateAuth}): the same AUTH with a
 *       {@link CertificateToken} instead: each node signs its join with its own private key and sends its
 *       certificate chain, which the coordinator validates against its trust store. Excludes the shared secret.
 *   <li><b>Symmetric encryption</b> ({@link Builder#symmetricEncryption}): JGroups' SYM_ENCRYPT, directly below
 *       NAKACK2, with an AES key that every node reads from its keystore ({@value #CIPHER}, a fresh IV per message).
 *       Every message above it (grid frames, views, join requests) is encrypted; a node with another key can
 *       decrypt nothing, so it cannot join and reads nothing.
 *   <li><b>Asymmetric encryption</b> ({@link Builder#asymmetricEncryption}): JGroups' ASYM_ENCRYPT, directly below
 *       NAKACK2, with no key files: the coordinator makes a random AES group key and hands it to each joiner in its
 *       JOIN response, encrypted with the RSA public key the joiner sent with its JOIN request (JGroups'
 *       {@code use_external_key_exchange=false}); a new key is made when a member leaves or the coordinator changes.
 *       ASYM_ENCRYPT gives the key to anyone whose JOIN request reaches it, so it needs AUTH (which then authenticates
 *       coordinators too), and runs as {@link GatedAsymEncrypt}: a membership message without a valid AUTH header
 *       bypasses it (no public key of an outsider is stored), and AUTH's refusals go out without a key.
 * </ul>
 *
 * What stays in clear either way: the protocols below the encryption (TCP's framing, TCPPING discovery, MERGE3,
 * FD_SOCK2, FD_ALL3, VERIFY_SUSPECT2) send their headers unencrypted: cluster name, JGroups addresses and logical
 * names (node ids), heartbeats. Nothing of a page or a cache entry.
 */
public final class ClusterSecurity {
  /** No authentication, no encryption: what the shipped stacks do on their own. */
  public static final ClusterSecurity NONE = new ClusterSecurity(null, null, null, null, false);
  /** The shortest shared secret accepted, in bytes. */
  public static final int MIN_SECRET_BYTES = 16;
  /** SYM_ENCRYPT's cipher. JGroups' default is plain "AES" (ECB mode), which we never use. */
  static final String CIPHER = "AES/CBC/PKCS5Padding";
  static final int IV_BYTES = 16;
  /** ASYM_ENCRYPT's key pair, with which a joiner receives the group key. */
  static final String ASYM_ALGORITHM = "RSA";
  static final int ASYM_KEY_BITS = 2048;
  /** The group key ASYM_ENCRYPT makes. */
  static final int GROUP_KEY_BITS = 256;

  /** How traffic is encrypted. */
  public enum Encryption {
    /** Not at all. */
    NONE,
    /** SYM_ENCRYPT with a shared AES key from a keystore. */
    SYMMETRIC,
    /** ASYM_ENCRYPT: an AES group key that the coordinator makes and hands to authenticated joiners. */
    ASYMMETRIC
  }

  private final SecretKey authKey;
  private final Certificates certificates;
  private final SecretKey groupKey;
  private final KeystoreFile groupKeySource;
  private final boolean asymmetric;

  private ClusterSecurity(SecretKey authKey, Certificates certificates, SecretKey groupKey,
      KeystoreFile groupKeySource, boolean asymmetric) {
    this.authKey = authKey;
    this.certificates = certificates;
    this.groupKey = groupKey;
    this.groupKeySource = groupKeySource;
    this.asymmetric = asymmetric;
  }

  /** A builder with nothing enabled. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether joins and merges must prove the shared secret or a trusted certificate (AUTH). */
  public boolean authenticated() {
    return authKey != null || certificates != null;
  }

  /** Whether AUTH checks certificates (rather than a shared secret). */
  public boolean certificateAuthenticated() {
    return certificates != null;
  }

  /** A node's certificate AUTH credential: its key and chain, and the CAs it trusts. */
  private record Certificates(KeystoreFile.PrivateKeyEntry identity, Set<TrustAnchor> anchors,
      KeystoreFile identitySource, KeystoreFile trustSource) {}

  /** How traffic is encrypted. */
  public Encryption encryption() {
    return asymmetric ? Encryption.ASYMMETRIC : groupKey != null ? Encryption.SYMMETRIC : Encryption.NONE;
  }

  /**
   * Checks that {@code stack} has the protocols this security is inserted next to.
   *
   * @throws GridConfigurationException if it lacks GMS (for AUTH) or NAKACK2 (for encryption)
   */
  void check(List<ProtocolConfiguration> protocols, String stack) {
    if (authenticated()) {
      requireProtocol(protocols, stack, "GMS", "AUTH");
    }
    if (encryption() != Encryption.NONE) {
      requireProtocol(protocols, stack, "NAKACK2", asymmetric ? "ASYM_ENCRYPT" : "SYM_ENCRYPT");
    }
  }

  /**
   * Inserts the protocols into a new, unconnected channel's stack and initializes them (JGroups initializes only
   * the protocols a stack is created with). {@code clusterName} is the one the channel will connect to: certificate
   * tokens are signed for it (the channel tells its own only once connected, after the join).
   */
  void secure(JChannel channel, String clusterName) throws Exception {
    ProtocolStack stack = channel.getProtocolStack();
    if (asymmetric) {
      // build() made sure that there is AUTH; GatedAsymEncrypt keeps the group key from nodes AUTH refuses.
      // AUTH authenticates coordinators too (JOIN_RSP, MERGE_RSP, INSTALL_MERGE_VIEW): those travel in clear
      // below ASYM_ENCRYPT, which lets membership messages through unencrypted.
      AUTH auth = auth(clusterName).setAuthCoord(true);
      GatedAsymEncrypt.KeyBinder binder = certificates != null
          ? new GatedAsymEncrypt.CertificateBinder((CertificateToken) auth.getAuthToken())
          : new GatedAsymEncrypt.SecretBinder(authKey);
      ASYM_ENCRYPT encrypt = new GatedAsymEncrypt(auth, binder).setUseExternalKeyExchange(false)
          .setChangeKeyOnLeave(true).setChangeKeyOnCoordLeave(true);
      encrypt.symAlgorithm(CIPHER);
      encrypt.symIvLength(IV_BYTES);
      encrypt.symKeylength(GROUP_KEY_BITS);
      encrypt.asymAlgorithm(ASYM_ALGORITHM);
      encrypt.asymKeylength(ASYM_KEY_BITS);
      insert(stack, encrypt, ProtocolStack.Position.BELOW, NAKACK2.class);
      insert(stack, auth, ProtocolStack.Position.BELOW, GMS.class);
      return;
    }
    if (groupKey != null) {
      SYM_ENCRYPT encrypt = new SYM_ENCRYPT();
      encrypt.setSecretKey(groupKey);
      encrypt.symAlgorithm(CIPHER);
      encrypt.symIvLength(IV_BYTES);
      insert(stack, encrypt, ProtocolStack.Position.BELOW, NAKACK2.class);
    }
    if (authenticated()) {
      insert(stack, auth(clusterName), ProtocolStack.Position.BELOW, GMS.class);
    }
  }

  private AUTH auth(String clusterName) {
    AUTH auth = new AUTH();
    AuthToken token = certificates != null
        ? new CertificateToken(certificates.identity().key(), certificates.identity().chain(), certificates.anchors(),
            () -> clusterName, System::currentTimeMillis)
        : new SharedSecretToken(authKey);
    auth.setAuthToken(token);
    token.setAuth(auth);
    return auth;
  }

  private static void insert(ProtocolStack stack, Protocol protocol, ProtocolStack.Position position,
      Class<? extends Protocol> neighbour) throws Exception {
    stack.insertProtocol(protocol, position, neighbour);
    protocol.setProtocolStack(stack);
    protocol.init();
  }

  private static void requireProtocol(List<ProtocolConfiguration> protocols, String stack, String name,
      String forWhat) {
    boolean present = protocols.stream().map(ProtocolConfiguration::getProtocolName)
        .anyMatch(p -> p.equals(name) || p.endsWith("." + name));
    if (!present) {
      throw new GridConfigurationException("stack " + stack + " has no " + name + ", which " + forWhat
          + " is inserted below; use a stack with " + name + " or no " + forWhat);
    }
  }

  /** Says what is enabled and where keys come from; never a secret or a password. */
  @Override
  public String toString() {
    if (!authenticated() && groupKey == null) {
      return "ClusterSecurity[none]";
    }
    String encryption = switch (encryption()) {
      case NONE -> "none";
      case SYMMETRIC -> "SYM_ENCRYPT " + CIPHER + " with the key of " + groupKeySource;
      case ASYMMETRIC -> "ASYM_ENCRYPT " + CIPHER + " with a group key from the coordinator (" + ASYM_ALGORITHM
          + " " + ASYM_KEY_BITS + " key exchange in the JOIN response)";
    };
    String auth = authKey != null ? "shared secret"
        : certificates != null ? "certificate '" + certificates.identity().chain().get(0).getSubjectX500Principal()
            + "' from " + certificates.identitySource() + ", trusting " + certificates.anchors().size()
            + " CA(s) of trust store " + certificates.trustSource().path()
        : "none";
    return "ClusterSecurity[auth " + auth + ", encryption " + encryption + "]";
  }

  /** Collects the settings; each setter replaces the previous value. Not thread-safe. */
  public static final class Builder {
    private byte[] secret;
    private KeystoreFile identity;
    private KeystoreFile truststore;
    private KeystoreFile symmetric;
    private boolean asymmetric;

    private Builder() {}

    /**
     * Joins (and merges) must prove this secret: every node of the cluster has the same one. Copied; clear your
     * array afterwards.
     *
     * @throws IllegalArgumentException if shorter than {@value #MIN_SECRET_BYTES} bytes
     * @throws IllegalStateException if certificate authentication was chosen already
     */
    public Builder authSecret(byte[] sharedSecret) {
      requireNonNull(sharedSecret, "sharedSecret");
      if (identity != null) {
        throw new IllegalStateException("the auth secret and certificate authentication (keystore "
            + identity.path() + ") exclude each other; certificates were chosen already");
      }
      if (sharedSecret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("the auth secret has " + sharedSecret.length + " bytes; use at least "
            + MIN_SECRET_BYTES + " (e.g. openssl rand -base64 32 > secret-file)");
      }
      clearSecret();
      this.secret = sharedSecret.clone();
      return this;
    }

    /**
     * As {@link #authSecret(byte[])}, read from a file (one trailing line break is dropped).
     *
     * @throws GridConfigurationException naming the file if it cannot be read
     * @throws IllegalArgumentException naming the file if its secret is too short
     */
    public Builder authSecretFile(Path file) {
      byte[] read = SecretFile.readBytes(file, "authSecretFile");
      try {
        return authSecret(read);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("authSecretFile " + file.toAbsolutePath() + ": " + e.getMessage(), e);
      } finally {
        Arrays.fill(read, (byte) 0);
      }
    }

    /**
     * Joins (and merges) must carry a certificate chain that {@code truststore}'s CAs vouch for, and a signature by
     * its key over the joiner's address, the cluster name, the time and a nonce ({@link CertificateToken}). Each node
     * has its own {@code keystore}: a private key (RSA or EC) with its chain under the keystore's alias. The trust
     * store's alias is not used: every trusted certificate in it is a trust anchor.
     *
     * @throws IllegalStateException if an auth secret was chosen already
     */
    public Builder certificateAuth(KeystoreFile keystore, KeystoreFile trustStore) {
      requireNonNull(keystore, "keystore");
      requireNonNull(trustStore, "trustStore");
      if (secret != null) {
        throw new IllegalStateException("certificate authentication (keystore " + keystore.path() + ") and the auth "
            + "secret exclude each other; an auth secret was chosen already");
      }
      this.identity = keystore;
      this.truststore = trustStore;
      return this;
    }

    /**
     * Encrypts every message with the AES key in {@code keystore} (SYM_ENCRYPT); every node has the same key.
     *
     * @throws IllegalStateException if asymmetric encryption was chosen already
     */
    public Builder symmetricEncryption(KeystoreFile keystore) {
      requireNonNull(keystore, "keystore");
      if (asymmetric) {
        throw new IllegalStateException("symmetric encryption (keystore " + keystore.path() + ") and asymmetric "
            + "encryption exclude each other; asymmetric was chosen already (noEncryption() clears it)");
      }
      this.symmetric = keystore;
      return this;
    }

    /**
     * Encrypts every message with a group key that the coordinator makes and hands to each joiner encrypted with
     * the joiner's public key (ASYM_ENCRYPT): no key files. Needs {@link #authSecret} or {@link #certificateAuth},
     * since the coordinator gives the key to any node whose join it admits; {@link #build()} refuses it without.
     *
     * @throws IllegalStateException if symmetric encryption was chosen already
     */
    public Builder asymmetricEncryption() {
      if (symmetric != null) {
        throw new IllegalStateException("asymmetric encryption and symmetric encryption (keystore "
            + symmetric.path() + ") exclude each other; symmetric was chosen already (noEncryption() clears it)");
      }
      this.asymmetric = true;
      return this;
    }

    /** Turns encryption off again. */
    public Builder noEncryption() {
      this.symmetric = null;
      this.asymmetric = false;
      return this;
    }

    /**
     * The security, with its keys read.
     *
     * @throws GridConfigurationException naming the keystore file if it is missing, unreadable, has no such entry,
     *     a password is wrong, or the entry is not an AES key; if asymmetric encryption lacks AUTH; or if certificate
     *     AUTH's keystore has no usable private key and chain, its certificate is outside its validity dates, or the
     *     trust store holds no CA
     */
    public ClusterSecurity build() {
      if (asymmetric && secret == null && identity == null) {
        throw new GridConfigurationException("asymmetric encryption needs AUTH: ASYM_ENCRYPT's coordinator hands "
            + "the group key to every node it lets join, so without AUTH anyone who can reach the ports could join "
            + "and read everything; set authSecret/authSecretFile or certificateAuth too");
      }
      SecretKey authKey = secret != null ? new SecretKeySpec(secret, "HmacSHA256") : null;
      Certificates certificates = identity != null ? certificates() : null;
      SecretKey groupKey = null;
      if (symmetric != null) {
        groupKey = symmetric.secretKey("symmetric encryption");
        if (!groupKey.getAlgorithm().equalsIgnoreCase("AES")) {
          throw new GridConfigurationException("symmetric encryption: entry '" + symmetric.alias() + "' of keystore "
              + symmetric.path() + " is a " + groupKey.getAlgorithm() + " key; SYM_ENCRYPT here uses AES "
              + "(keytool -genseckey -keyalg AES -keysize 256)");
        }
      }
      return authKey == null && certificates == null && groupKey == null ? NONE
          : new ClusterSecurity(authKey, certificates, groupKey, symmetric, asymmetric);
    }

    private Certificates certificates() {
      KeystoreFile.PrivateKeyEntry entry = identity.privateKeyEntry("certificate authentication");
      try {
        CertificateToken.signatureAlgorithm(entry.key().getAlgorithm());
      } catch (IllegalArgumentException e) {
        throw new GridConfigurationException("certificate authentication: entry '" + identity.alias()
            + "' of keystore " + identity.path() + ": " + e.getMessage());
      }
      X509Certificate leaf = entry.chain().get(0);
      try {
        leaf.checkValidity();
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw new GridConfigurationException("certificate authentication: the certificate of entry '"
            + identity.alias() + "' of keystore " + identity.path() + " (" + leaf.getSubjectX500Principal()
            + ") is valid from " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant()
            + " only; peers would refuse it");
      }
      if (entry.chain().size() > CertificateToken.MAX_CHAIN) {
        throw new GridConfigurationException("certificate authentication: the chain of entry '" + identity.alias()
            + "' of keystore " + identity.path() + " has " + entry.chain().size() + " certificates; at most "
            + CertificateToken.MAX_CHAIN);
      }
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate ca : truststore.trustedCertificates("certificate authentication")) {
        anchors.add(new TrustAnchor(ca, null));
      }
      return new Certificates(entry, Set.copyOf(anchors), identity, truststore);
    }

    private void clearSecret() {
      if (secret != null) {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }
}
