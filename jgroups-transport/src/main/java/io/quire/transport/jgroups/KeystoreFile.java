package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.GridConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Where a key is kept: a keystore file, its type, the entry's alias and the two passwords. Immutable; the passwords
 * are copied in and never shown ({@link #toString()} names the file, type and alias only).
 *
 * <pre>{@code
 * KeystoreFile keys = KeystoreFile.of(Path.of("/etc/quire/cluster.p12"), storePassword).alias("quire");
 * }</pre>
 */
public final class KeystoreFile {
  /** The keystore type when none is given: PKCS12, the JDK's default, which holds secret keys too. */
  public static final String DEFAULT_TYPE = "PKCS12";
  /** The entry's alias when none is given. */
  public static final String DEFAULT_ALIAS = "quire";

  private final Path path;
  private final String type;
  private final String alias;
  private final char[] storePassword;
  private final char[] keyPassword;

  private KeystoreFile(Path path, String type, String alias, char[] storePassword, char[] keyPassword) {
    this.path = path;
    this.type = type;
    this.alias = alias;
    this.storePassword = storePassword;
    this.keyPassword = keyPassword;
  }

  /** The keystore at {@code path}, of type {@value #DEFAULT_TYPE}, entry {@value #DEFAULT_ALIAS}, whose key password is
   * the store password. */
  public static KeystoreFile of(Path path, char[] storePassword) {
    requireNonNull(path, "path");
    requireNonNull(storePassword, "storePassword");
    return new KeystoreFile(path.toAbsolutePath(), DEFAULT_TYPE, DEFAULT_ALIAS, storePassword.clone(), null);
  }

  /** The keystore type ({@code PKCS12}, {@code JCEKS}, {@code JKS} for key pairs only). */
  public KeystoreFile type(String keystoreType) {
    requireNonNull(keystoreType, "keystoreType");
    if (keystoreType.isBlank()) {
      throw new IllegalArgumentException("keystore type must not be blank");
    }
    return new KeystoreFile(path, keystoreType, alias, storePassword, keyPassword);
  }

  /** The alias of the entry holding the key. */
  public KeystoreFile alias(String entryAlias) {
    requireNonNull(entryAlias, "entryAlias");
    if (entryAlias.isBlank()) {
      throw new IllegalArgumentException("key alias must not be blank");
    }
    return new KeystoreFile(path, type, entryAlias, storePassword, keyPassword);
  }

  /** The entry's password, when it differs from the store's. */
  public KeystoreFile keyPassword(char[] password) {
    requireNonNull(password, "password");
    return new KeystoreFile(path, type, alias, storePassword, password.clone());
  }

  public Path path() {
    return path;
  }

  public String type() {
    return type;
  }

  public String alias() {
    return alias;
  }

  char[] storePassword() {
    return storePassword.clone();
  }

  char[] keyPassword() {
    return (keyPassword != null ? keyPassword : storePassword).clone();
  }

  /**
   * Opens the keystore.
   *
   * @param purpose what the keystore is for, in error messages (e.g. {@code symmetric encryption})
   * @throws GridConfigurationException naming the file if it is missing, unreadable, of another type, or the store
   *     password is wrong
   */
  KeyStore load(String purpose) {
    KeyStore store;
    try {
      store = KeyStore.getInstance(type);
    } catch (GeneralSecurityException e) {
      throw new GridConfigurationException(purpose + ": keystore type '" + type + "' of " + path
          + " is not supported by this JVM (use PKCS12 or JCEKS)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, storePassword);
      return store;
    } catch (NoSuchFileException e) {
      throw new GridConfigurationException(purpose + ": keystore " + path + " does not exist");
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
        throw new GridConfigurationException(purpose + ": cannot open keystore " + path
            + ": wrong keystore password");
      }
      throw new GridConfigurationException(purpose + ": cannot read keystore " + path + " as " + type
          + " (wrong type, damaged, unreadable or wrong keystore password): " + e.getClass().getSimpleName());
    } catch (GeneralSecurityException | SecurityException e) {
      throw new GridConfigurationException(purpose + ": cannot read keystore " + path + ": "
          + e.getClass().getSimpleName());
    }
  }

  /**
   * The secret key stored under the alias.
   *
   * @throws GridConfigurationException naming the file and alias if the entry is missing, not a secret key, or its
   *     password is wrong
   */
  SecretKey secretKey(String purpose) {
    KeyStore store = load(purpose);
    Key key = key(store, purpose);
    if (!(key instanceof SecretKey secret)) {
      throw new GridConfigurationException(purpose + ": entry '" + alias + "' of keystore " + path + " is a "
          + (key == null ? "certificate" : key.getAlgorithm() + " private key") + ", not a secret key; create one "
          + "with keytool -genseckey -keyalg AES -keysize 256");
    }
    return secret;
  }

  /**
   * The private key stored under the alias and its certificate chain (leaf first).
   *
   * @throws GridConfigurationException naming the file and alias if the entry is missing, not a private key with an
   *     X.509 chain, or its password is wrong
   */
  PrivateKeyEntry privateKeyEntry(String purpose) {
    KeyStore store = load(purpose);
    Key key = key(store, purpose);
    if (!(key instanceof PrivateKey privateKey)) {
      throw new GridConfigurationException(purpose + ": entry '" + alias + "' of keystore " + path + " is "
          + (key == null ? "a trusted certificate" : "a " + key.getAlgorithm() + " secret key") + ", not a private "
          + "key with its certificate; create one with keytool -genkeypair and import the CA's reply");
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      Certificate[] certificates = store.getCertificateChain(alias);
      for (Certificate certificate : certificates != null ? certificates : new Certificate[0]) {
        if (!(certificate instanceof X509Certificate x509)) {
          throw new GridConfigurationException(purpose + ": entry '" + alias + "' of keystore " + path
              + " has a " + certificate.getType() + " certificate; X.509 is needed");
        }
        chain.add(x509);
      }
    } catch (KeyStoreException e) {
      throw new GridConfigurationException(purpose + ": cannot read the chain of entry '" + alias + "' of keystore "
          + path + ": " + e.getClass().getSimpleName());
    }
    if (chain.isEmpty()) {
      throw new GridConfigurationException(purpose + ": entry '" + alias + "' of keystore " + path
          + " has no certificate chain");
    }
    return new PrivateKeyEntry(privateKey, List.copyOf(chain));
  }

  /** A private key and its certificate chain, leaf first. */
  record PrivateKeyEntry(PrivateKey key, List<X509Certificate> chain) {
    @Override
    public String toString() {
      return "PrivateKeyEntry[" + chain.get(0).getSubjectX500Principal() + "]"; // never the key
    }
  }

  /**
   * Every trusted certificate in the keystore (its alias is not used): the CAs a trust store names.
   *
   * @throws GridConfigurationException naming the file if it holds none, or cannot be read
   */
  List<X509Certificate> trustedCertificates(String purpose) {
    KeyStore store = load(purpose);
    List<X509Certificate> trusted = new ArrayList<>();
    try {
      for (String entry : Collections.list(store.aliases())) {
        if (store.isCertificateEntry(entry) && store.getCertificate(entry) instanceof X509Certificate x509) {
          trusted.add(x509);
        }
      }
    } catch (KeyStoreException e) {
      throw new GridConfigurationException(purpose + ": cannot read trust store " + path + ": "
          + e.getClass().getSimpleName());
    }
    if (trusted.isEmpty()) {
      throw new GridConfigurationException(purpose + ": trust store " + path + " holds no trusted certificate; "
          + "import the CA's with keytool -importcert -alias ca -file ca.pem");
    }
    return List.copyOf(trusted);
  }

  private Key key(KeyStore store, String purpose) {
    char[] password = keyPassword();
    try {
      if (!store.containsAlias(alias)) {
        throw new GridConfigurationException(purpose + ": keystore " + path + " has no entry '" + alias
            + "'; it has " + Collections.list(store.aliases()));
      }
      return store.getKey(alias, password);
    } catch (UnrecoverableKeyException e) {
      throw new GridConfigurationException(purpose + ": cannot read entry '" + alias + "' of keystore " + path
          + ": wrong key password");
    } catch (GeneralSecurityException e) {
      throw new GridConfigurationException(purpose + ": cannot read entry '" + alias + "' of keystore " + path
          + ": " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  @Override
  public String toString() {
    return "keystore " + path + " (" + type + ", alias " + alias + ")";
  }
}
