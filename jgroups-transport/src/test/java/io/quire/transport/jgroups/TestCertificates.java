package io.quire.transport.jgroups;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates made at test time with the JDK alone (no keytool process, no BouncyCastle): a minimal DER encoder for
 * X.509 v3 certificates, signed with {@link Signature} and read back with {@link CertificateFactory}, so every
 * certificate is one the JDK itself parsed. CAs carry basicConstraints CA=true; leaves carry no extensions.
 */
final class TestCertificates {
  static final char[] PASSWORD = "cert-password-for-tests".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private TestCertificates() {}

  /** A private key and its chain, leaf first. */
  record Identity(PrivateKey key, List<X509Certificate> chain) {
    X509Certificate certificate() {
      return chain.get(0);
    }
  }

  /** A self-signed CA on an EC P-256 key, valid from an hour ago for a day. */
  static Identity ca(String name) {
    KeyPair pair = keyPair("EC");
    X509Certificate certificate = certificate(name, pair, name, pair.getPrivate(), Instant.now().minusSeconds(3600),
        Instant.now().plus(Duration.ofDays(1)), true);
    return new Identity(pair.getPrivate(), List.of(certificate));
  }

  /** A node certificate on an EC P-256 key issued by {@code issuer}, valid from an hour ago for a day. */
  static Identity node(Identity issuer, String name) {
    return node(issuer, name, "EC", Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(1)));
  }

  /** A node certificate on a key of {@code algorithm} (EC or RSA) issued by {@code issuer}, valid between the dates. */
  static Identity node(Identity issuer, String name, String algorithm, Instant notBefore, Instant notAfter) {
    KeyPair pair = keyPair(algorithm);
    X509Certificate certificate = certificate(name, pair, issuer.certificate().getSubjectX500Principal().getName()
        .replaceFirst("^CN=", ""), issuer.key(), notBefore, notAfter, false);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    chain.addAll(issuer.chain());
    return new Identity(pair.getPrivate(), List.copyOf(chain));
  }

  /** A self-signed node certificate: its own issuer, trusted by nobody. */
  static Identity selfSigned(String name) {
    KeyPair pair = keyPair("EC");
    return new Identity(pair.getPrivate(), List.of(certificate(name, pair, name, pair.getPrivate(),
        Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(1)), false)));
  }

  /** A PKCS12 keystore at {@code file} holding {@code identity} under the default alias. */
  static KeystoreFile keystore(Path file, Identity identity) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try {
        store.load(null, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      store.setKeyEntry(KeystoreFile.DEFAULT_ALIAS, identity.key(), PASSWORD,
          identity.chain().toArray(Certificate[]::new));
      write(store, file);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return KeystoreFile.of(file, PASSWORD);
  }

  /** A PKCS12 trust store at {@code file} holding the certificates of {@code cas} as trusted entries. */
  static KeystoreFile truststore(Path file, Identity... cas) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try {
        store.load(null, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (int i = 0; i < cas.length; i++) {
        store.setCertificateEntry("ca-" + i, cas[i].certificate());
      }
      write(store, file);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return KeystoreFile.of(file, PASSWORD);
  }

  private static void write(KeyStore store, Path file) throws GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KeyPair keyPair(String algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      } else {
        generator.initialize(2048, RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey signer,
      Instant notBefore, Instant notAfter, boolean ca) {
    boolean ec = signer.getAlgorithm().equals("EC");
    byte[] algorithm = ec
        ? sequence(oid(0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02))                 // ecdsa-with-SHA256
        : sequence(oid(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B), tlv(0x05)); // sha256WithRSAEncryption
    List<byte[]> tbs = new ArrayList<>(List.of(
        tlv(0xA0, integer(BigInteger.TWO)),                                              // v3
        integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
        algorithm,
        name(issuer),
        sequence(time(notBefore), time(notAfter)),
        name(subject),
        subjectKeys.getPublic().getEncoded()));
    if (ca) {
      byte[] basicConstraints = sequence(oid(0x55, 0x1D, 0x13), tlv(0x01, (byte) 0xFF),
          tlv(0x04, sequence(tlv(0x01, (byte) 0xFF))));
      tbs.add(tlv(0xA3, sequence(basicConstraints)));
    }
    byte[] toBeSigned = sequence(tbs.toArray(byte[][]::new));
    try {
      Signature signature = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
      signature.initSign(signer, RANDOM);
      signature.update(toBeSigned);
      byte[] signed = signature.sign();
      byte[] bits = new byte[signed.length + 1];
      System.arraycopy(signed, 0, bits, 1, signed.length);
      byte[] der = sequence(toBeSigned, algorithm, tlv(0x03, bits));
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] name(String commonName) {
    byte[] cn = sequence(oid(0x55, 0x04, 0x03), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)));
    return sequence(tlv(0x31, cn));
  }

  private static byte[] time(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] oid(int... bytes) {
    byte[] encoded = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      encoded[i] = (byte) bytes[i];
    }
    return tlv(0x06, encoded);
  }

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, parts);
  }

  private static byte[] tlv(int tag, byte... content) {
    return tlv(tag, new byte[][] {content});
  }

  private static byte[] tlv(int tag, byte[][] parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.size();
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
