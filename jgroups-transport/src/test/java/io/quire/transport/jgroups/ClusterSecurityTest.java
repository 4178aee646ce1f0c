package io.quire.transport.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.GridConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.EmptyMessage;
import org.jgroups.protocols.AUTH;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security settings without a network: key loading and its errors, secrets kept out of strings, the AUTH token. */
class ClusterSecurityTest {
  private static final byte[] SECRET = "a-shared-secret-of-32-characters".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  /* ---- building ---- */

  @Test
  void nothingEnabled_isNone() {
    assertThat(ClusterSecurity.builder().build()).isSameAs(ClusterSecurity.NONE);
    assertThat(ClusterSecurity.NONE.authenticated()).isFalse();
    assertThat(ClusterSecurity.NONE.encryption()).isEqualTo(ClusterSecurity.Encryption.NONE);
  }

  @Test
  void secretAndKeystore_enableAuthAndSymmetricEncryption_andNeverShowUpInStrings() {
    KeystoreFile keys = TestKeys.aesKeystore(dir.resolve("k.p12"));

    ClusterSecurity security = ClusterSecurity.builder().authSecret(SECRET).symmetricEncryption(keys).build();
    JGroupsTransportFactory factory = JGroupsTransportFactory.builder().security(security).build();

    assertThat(security.authenticated()).isTrue();
    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.SYMMETRIC);
    for (String shown : new String[] {security.toString(), factory.toString(), keys.toString()}) {
      assertThat(shown).doesNotContain(new String(SECRET, StandardCharsets.UTF_8))
          .doesNotContain(new String(TestKeys.STORE_PASSWORD));
    }
    assertThat(security.toString()).contains("k.p12").contains("AES/CBC");
  }

  @Test
  void shortSecret_isRefused() {
    assertThatThrownBy(() -> ClusterSecurity.builder().authSecret(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
  }

  @Test
  void secretFile_dropsOneTrailingLineBreak() throws Exception {
    Path file = dir.resolve("secret");
    Files.write(file, "0123456789abcdef\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(new String(SecretFile.readBytes(file, "--auth-secret-file"), StandardCharsets.US_ASCII))
        .isEqualTo("0123456789abcdef");
    assertThat(ClusterSecurity.builder().authSecretFile(file).build().authenticated()).isTrue();
  }

  @Test
  void secretFile_missingOrEmpty_namesTheOptionAndFile() throws Exception {
    Path missing = dir.resolve("nope");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");

    assertThatThrownBy(() -> SecretFile.readBytes(missing, "--auth-secret-file"))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("--auth-secret-file")
        .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> SecretFile.readChars(empty, "--keystore-password-file"))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("--keystore-password-file")
        .hasMessageContaining("empty");
  }

  /* ---- keystore errors: each names the file and the problem, never a password ---- */

  @Test
  void missingKeystore_namesTheFile() {
    Path file = dir.resolve("absent.p12");

    assertThatThrownBy(() -> symmetric(KeystoreFile.of(file, TestKeys.STORE_PASSWORD)))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist").hasMessageContaining("symmetric encryption");
  }

  @Test
  void wrongStorePassword_saysSo() {
    KeystoreFile keys = TestKeys.aesKeystore(dir.resolve("k.p12"));
    char[] wrong = "not-the-password".toCharArray();

    assertThatThrownBy(() -> symmetric(KeystoreFile.of(keys.path(), wrong)))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining(keys.path().toString())
        .hasMessageContaining("wrong keystore password").hasMessageNotContaining("not-the-password");
  }

  @Test
  void wrongKeyPassword_saysSo() {
    KeystoreFile keys = TestKeys.aesKeystore(dir.resolve("k.p12"), "quire", "key-password".toCharArray());

    assertThatThrownBy(() -> symmetric(keys.keyPassword("other".toCharArray())))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("wrong key password")
        .hasMessageContaining("'quire'");
  }

  @Test
  void missingAlias_listsTheEntries() {
    KeystoreFile keys = TestKeys.aesKeystore(dir.resolve("k.p12"), "cluster-key", TestKeys.STORE_PASSWORD);

    assertThatThrownBy(() -> symmetric(keys.alias("quire")))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("no entry 'quire'")
        .hasMessageContaining("cluster-key");
  }

  @Test
  void notAKeystore_namesTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("garbage.p12"), "not a keystore");

    assertThatThrownBy(() -> symmetric(KeystoreFile.of(file, TestKeys.STORE_PASSWORD)))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining(file.toString());
  }

  @Test
  void stackWithoutGmsOrNakack_isRefusedAtBuild() throws Exception {
    Path stack = Files.writeString(dir.resolve("bare.xml"), "<config xmlns=\"urn:org:jgroups\">"
        + "<TCP bind_addr=\"127.0.0.1\" bind_port=\"0\"/><TCPPING initial_hosts=\"127.0.0.1[7800]\"/></config>");
    ClusterSecurity auth = ClusterSecurity.builder().authSecret(SECRET).build();
    ClusterSecurity encryption = ClusterSecurity.builder()
        .symmetricEncryption(TestKeys.aesKeystore(dir.resolve("k.p12"))).build();

    assertThatThrownBy(() -> JGroupsTransportFactory.builder().stack(stack.toString()).security(auth).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("no GMS");
    assertThatThrownBy(() -> JGroupsTransportFactory.builder().stack(stack.toString()).security(encryption).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("no NAKACK2");
  }

  @Test
  void securedChannel_hasAuthBelowGms_andSymEncryptBelowNakack2() {
    ClusterSecurity security = ClusterSecurity.builder().authSecret(SECRET)
        .symmetricEncryption(TestKeys.aesKeystore(dir.resolve("k.p12"))).build();

    try (org.jgroups.JChannel channel = JGroupsTransportFactory.builder()
        .stack(JGroupsTransportFactory.LOOPBACK_STACK).security(security).build().newChannel()) {
      var names = channel.getProtocolStack().getProtocols().stream().map(p -> p.getClass().getSimpleName())
          .toList(); // top first
      assertThat(names.get(names.indexOf("GMS") + 1)).isEqualTo("AUTH");
      assertThat(names.get(names.indexOf("NAKACK2") + 1)).isEqualTo("SYM_ENCRYPT");
    }
  }

  /* ---- asymmetric encryption ---- */

  @Test
  void asymmetric_withSecret_putsGatedAsymEncryptBelowNakack2_andCoordinatorAuthBelowGms() {
    ClusterSecurity security = ClusterSecurity.builder().authSecret(SECRET).asymmetricEncryption().build();

    assertThat(security.authenticated()).isTrue();
    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);
    assertThat(security.toString()).contains("ASYM_ENCRYPT").contains("coordinator")
        .doesNotContain(new String(SECRET, StandardCharsets.UTF_8));
    try (org.jgroups.JChannel channel = JGroupsTransportFactory.builder()
        .stack(JGroupsTransportFactory.LOOPBACK_STACK).security(security).build().newChannel()) {
      var names = channel.getProtocolStack().getProtocols().stream().map(p -> p.getClass().getSimpleName())
          .toList(); // top first
      assertThat(names.get(names.indexOf("NAKACK2") + 1)).isEqualTo("GatedAsymEncrypt");
      assertThat(names.get(names.indexOf("GMS") + 1)).isEqualTo("AUTH");
      assertThat(names).doesNotContain("SYM_ENCRYPT");
      org.jgroups.protocols.ASYM_ENCRYPT asym = channel.getProtocolStack()
          .findProtocol(org.jgroups.protocols.ASYM_ENCRYPT.class);
      assertThat(asym.getUseExternalKeyExchange()).isFalse();
      assertThat(asym.getId()).isEqualTo(org.jgroups.conf.ClassConfigurator.getProtocolId(
          org.jgroups.protocols.ASYM_ENCRYPT.class));
      assertThat(asym.symAlgorithm()).isEqualTo("AES/CBC/PKCS5Padding");
    }
  }

  @Test
  void asymmetric_withoutAuth_isRefused_sayingWhy() {
    assertThatThrownBy(() -> ClusterSecurity.builder().asymmetricEncryption().build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("needs AUTH")
        .hasMessageContaining("authSecretFile or certificateAuth");
  }

  @Test
  void symmetricAndAsymmetric_excludeEachOther_untilNoEncryption() {
    KeystoreFile keys = TestKeys.aesKeystore(dir.resolve("k.p12"));

    assertThatThrownBy(() -> ClusterSecurity.builder().symmetricEncryption(keys).asymmetricEncryption())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other")
        .hasMessageContaining("k.p12");
    assertThatThrownBy(() -> ClusterSecurity.builder().asymmetricEncryption().symmetricEncryption(keys))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
    assertThat(ClusterSecurity.builder().authSecret(SECRET).symmetricEncryption(keys).noEncryption()
        .asymmetricEncryption().build().encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);
  }

  @Test
  void securityFiles_encryptionSetting_choosesAndChecksItsCompanions() throws Exception {
    Path secret = Files.write(dir.resolve("secret"), SECRET);
    TestKeys.aesKeystore(dir.resolve("k.p12"));
    Path password = Files.writeString(dir.resolve("k.pw"), new String(TestKeys.STORE_PASSWORD));
    java.util.function.UnaryOperator<String> label = name -> "--" + name;

    assertThat(SecurityFiles.fromSettings(java.util.Map.of("auth-secret-file", secret.toString(), "encryption",
        "asymmetric")).load(label).encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);
    assertThat(SecurityFiles.fromSettings(java.util.Map.of("keystore", dir.resolve("k.p12").toString(),
        "keystore-password-file", password.toString())).load(label).encryption())
        .isEqualTo(ClusterSecurity.Encryption.SYMMETRIC);
    assertThatThrownBy(() -> SecurityFiles.fromSettings(java.util.Map.of("encryption", "asymmetric")).load(label))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--encryption asymmetric needs "
            + "--auth-secret-file");
    assertThatThrownBy(() -> SecurityFiles.fromSettings(java.util.Map.of("auth-secret-file", secret.toString(),
        "encryption", "asymmetric", "keystore", dir.resolve("k.p12").toString())).load(label))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no --keystore");
    assertThatThrownBy(() -> SecurityFiles.fromSettings(java.util.Map.of("encryption", "symmetric")).load(label))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --keystore");
    assertThatThrownBy(() -> SecurityFiles.fromSettings(java.util.Map.of("encryption", "rot13")).load(label))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--encryption rot13")
        .hasMessageContaining("asymmetric");
  }

  /* ---- certificate AUTH ---- */

  @Test
  void certificateAuth_readsTheKeyChainAndTrustStore_andExcludesTheSecret() {
    TestCertificates.Identity ca = TestCertificates.ca("Test CA");
    KeystoreFile node = TestCertificates.keystore(dir.resolve("node.p12"), TestCertificates.node(ca, "node-1"));
    KeystoreFile trust = TestCertificates.truststore(dir.resolve("trust.p12"), ca);

    ClusterSecurity security = ClusterSecurity.builder().certificateAuth(node, trust).asymmetricEncryption().build();

    assertThat(security.authenticated()).isTrue();
    assertThat(security.certificateAuthenticated()).isTrue();
    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);
    assertThat(security.toString()).contains("CN=node-1").contains("trust.p12")
        .doesNotContain(new String(TestCertificates.PASSWORD));
    assertThatThrownBy(() -> ClusterSecurity.builder().certificateAuth(node, trust).authSecret(SECRET))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> ClusterSecurity.builder().authSecret(SECRET).certificateAuth(node, trust))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
  }

  @Test
  void certificateAuthErrors_nameTheFile_andWhatIsWrongWithIt() {
    TestCertificates.Identity ca = TestCertificates.ca("Test CA");
    KeystoreFile node = TestCertificates.keystore(dir.resolve("node.p12"), TestCertificates.node(ca, "node-1"));
    KeystoreFile trust = TestCertificates.truststore(dir.resolve("trust.p12"), ca);
    KeystoreFile expired = TestCertificates.keystore(dir.resolve("expired.p12"), TestCertificates.node(ca, "old",
        "EC", java.time.Instant.now().minusSeconds(7200), java.time.Instant.now().minusSeconds(3600)));
    KeystoreFile aes = TestKeys.aesKeystore(dir.resolve("aes.p12"));
    KeystoreFile noCas = TestCertificates.truststore(dir.resolve("empty.p12"));

    assertThatThrownBy(() -> ClusterSecurity.builder().certificateAuth(expired, trust).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("expired.p12")
        .hasMessageContaining("CN=old").hasMessageContaining("peers would refuse it");
    assertThatThrownBy(() -> ClusterSecurity.builder().certificateAuth(aes, trust).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("aes.p12")
        .hasMessageContaining("not a private key");
    assertThatThrownBy(() -> ClusterSecurity.builder().certificateAuth(node, noCas).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("empty.p12")
        .hasMessageContaining("no trusted certificate");
    assertThatThrownBy(() -> ClusterSecurity.builder().certificateAuth(node.alias("other"), trust).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("has no entry 'other'");
    assertThatThrownBy(() -> ClusterSecurity.builder().certificateAuth(node,
        KeystoreFile.of(dir.resolve("nowhere.p12"), TestCertificates.PASSWORD)).build())
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("nowhere.p12 does not exist");
  }

  @Test
  void securityFiles_certificateSettings_comeAsASet_andExcludeTheSecret() throws Exception {
    TestCertificates.Identity ca = TestCertificates.ca("Test CA");
    TestCertificates.keystore(dir.resolve("node.p12"), TestCertificates.node(ca, "node-1"));
    TestCertificates.truststore(dir.resolve("trust.p12"), ca);
    Path password = Files.writeString(dir.resolve("pw"), new String(TestCertificates.PASSWORD) + "\n");
    Path wrong = Files.writeString(dir.resolve("wrong"), "wrong-password");
    Path secret = Files.write(dir.resolve("secret"), SECRET);
    java.util.function.UnaryOperator<String> label = name -> "--" + name;
    java.util.Map<String, String> settings = new java.util.HashMap<>(java.util.Map.of(
        "auth-keystore", dir.resolve("node.p12").toString(), "auth-keystore-password-file", password.toString(),
        "truststore", dir.resolve("trust.p12").toString(), "truststore-password-file", password.toString(),
        "encryption", "asymmetric"));

    ClusterSecurity security = SecurityFiles.fromSettings(settings).load(label);
    assertThat(security.certificateAuthenticated()).isTrue();
    assertThat(security.encryption()).isEqualTo(ClusterSecurity.Encryption.ASYMMETRIC);

    java.util.Map<String, String> withSecret = new java.util.HashMap<>(settings);
    withSecret.put("auth-secret-file", secret.toString());
    assertThatThrownBy(() -> SecurityFiles.fromSettings(withSecret).load(label))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude each other");
    java.util.Map<String, String> noTrust = new java.util.HashMap<>(settings);
    noTrust.remove("truststore");
    assertThatThrownBy(() -> SecurityFiles.fromSettings(noTrust).load(label))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--truststore is missing");
    java.util.Map<String, String> wrongPassword = new java.util.HashMap<>(settings);
    wrongPassword.put("truststore-password-file", wrong.toString());
    assertThatThrownBy(() -> SecurityFiles.fromSettings(wrongPassword).load(label))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("--truststore " + dir.resolve("trust.p12"))
        .hasMessageContaining("wrong keystore password").hasMessageNotContaining("wrong-password");
  }

  private static ClusterSecurity symmetric(KeystoreFile keys) {
    return ClusterSecurity.builder().symmetricEncryption(keys).build();
  }

  /* ---- the AUTH token ---- */

  @Test
  void token_acceptsTheSameSecretFromTheAddressItWasMadeFor_only() throws Exception {
    UUID joiner = UUID.randomUUID();
    byte[] wire = serialize(token(SECRET, joiner));

    assertThat(check(SECRET, wire, joiner)).isTrue();
    assertThat(check("another-secret-of-32-characters!".getBytes(StandardCharsets.UTF_8), wire, joiner)).isFalse();
    assertThat(check(SECRET, wire, UUID.randomUUID())).as("replayed from another address").isFalse();
    assertThat(new String(wire, StandardCharsets.ISO_8859_1)).doesNotContain(new String(SECRET,
        StandardCharsets.UTF_8));
  }

  @Test
  void token_tamperedOrFromNobody_isRefused() throws Exception {
    UUID joiner = UUID.randomUUID();
    byte[] wire = serialize(token(SECRET, joiner));
    wire[wire.length - 1] ^= 1;

    assertThat(check(SECRET, wire, joiner)).isFalse();
    assertThat(new SharedSecretToken().authenticate(new SharedSecretToken(), new EmptyMessage())).isFalse();
  }

  @Test
  void token_acceptsItsOwnRequestDeliveredByLoopback_butNotAsIfFromAnotherAddress() {
    // A merge leader sends MERGE_REQ to itself too; loopback hands AUTH the very token object, never serialized.
    UUID self = UUID.randomUUID();
    SharedSecretToken own = token(SECRET, self);
    assertThat(own.authenticate(own, new EmptyMessage().setSrc(self))).isTrue();
    assertThat(own.authenticate(own, new EmptyMessage().setSrc(UUID.randomUUID()))).isFalse();
    assertThat(own.authenticate(token(SECRET, self), new EmptyMessage().setSrc(self)))
        .as("another in-memory instance").isFalse();
  }

  private static SharedSecretToken token(byte[] secret, UUID address) {
    SharedSecretToken token = new SharedSecretToken(new SecretKeySpec(secret, "HmacSHA256"));
    AUTH auth = new AUTH();
    auth.setAddress(address);
    token.setAuth(auth);
    return token;
  }

  private static byte[] serialize(SharedSecretToken token) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      token.writeTo(out);
    }
    assertThat(bytes.size()).isEqualTo(token.size());
    return bytes.toByteArray();
  }

  private static boolean check(byte[] secret, byte[] wire, UUID from) throws Exception {
    SharedSecretToken received = new SharedSecretToken();
    received.readFrom(new DataInputStream(new ByteArrayInputStream(wire)));
    return token(secret, UUID.randomUUID()).authenticate(received, new EmptyMessage().setSrc(from));
  }
}
