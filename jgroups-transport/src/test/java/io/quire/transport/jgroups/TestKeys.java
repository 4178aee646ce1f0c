package io.quire.transport.jgroups;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys made at test time in a temporary directory: nothing with a real secret is committed. AES keys go into PKCS12
 * stores through {@link KeyStore} (what {@code keytool -genseckey} writes).
 */
final class TestKeys {
  static final char[] STORE_PASSWORD = "store-password-for-tests".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  /** A random secret of 32 bytes (as base64 text would be in a file). */
  static byte[] secret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return java.util.Base64.getEncoder().encode(secret);
  }

  /** A new PKCS12 keystore at {@code file} holding a random 256-bit AES key under {@code alias}. */
  static KeystoreFile aesKeystore(Path file, String alias, char[] keyPassword) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setEntry(alias, new KeyStore.SecretKeyEntry(new SecretKeySpec(raw, "AES")),
          new KeyStore.PasswordProtection(keyPassword));
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, STORE_PASSWORD);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return KeystoreFile.of(file, STORE_PASSWORD).alias(alias).keyPassword(keyPassword);
  }

  /** As {@link #aesKeystore(Path, String, char[])} with the store password as key password and alias "quire". */
  static KeystoreFile aesKeystore(Path file) {
    return aesKeystore(file, KeystoreFile.DEFAULT_ALIAS, STORE_PASSWORD);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
