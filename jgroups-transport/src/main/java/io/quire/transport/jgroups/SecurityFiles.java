package io.quire.transport.jgroups;

import io.quire.core.GridConfigurationException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where a node's secrets are, as its configuration names them (the launcher's options or a descriptor's attributes):
 * a shared-secret file for AUTH, or for certificate AUTH a node keystore (private key and chain) and a trust store
 * (the CAs), each with a password file; a keystore with its password files for SYM_ENCRYPT, or
 * {@code encryption=asymmetric} for ASYM_ENCRYPT (no key files; needs AUTH of either kind). {@link #load} reads them
 * into a {@link ClusterSecurity}; secrets live only in files, so they never show in {@code ps}, and are wiped from
 * memory once handed over.
 *
 * @param authSecretFile the AUTH shared secret, or null for no AUTH
 * @param keystore the keystore holding the SYM_ENCRYPT key, or null for no encryption
 * @param keystoreType its type, e.g. PKCS12 or JCEKS
 * @param keystorePasswordFile the file holding the keystore's password (required with a keystore)
 * @param keyAlias the key's alias in the keystore
 * @param keyPasswordFile the file holding the key's password, or null when it is the keystore's
 * @param encryption {@code none}, {@code symmetric} (needs a keystore) or {@code asymmetric} (needs AUTH, no
 *     keystore); null for symmetric with a keystore and none without
 * @param authKeystore certificate AUTH: the PKCS12 keystore holding this node's private key and certificate chain,
 *     or null for none (excludes {@code authSecretFile})
 * @param authKeystorePasswordFile the file holding its password (also the key entry's)
 * @param authKeyAlias the alias of the key entry
 * @param truststore certificate AUTH: the PKCS12 keystore holding the trusted CA certificates
 * @param truststorePasswordFile the file holding its password
 */
public record SecurityFiles(Path authSecretFile, Path keystore, String keystoreType, Path keystorePasswordFile,
    String keyAlias, Path keyPasswordFile, String encryption, Path authKeystore, Path authKeystorePasswordFile,
    String authKeyAlias, Path truststore, Path truststorePasswordFile) {

  /** The settings' names, as {@link #fromSettings} reads them (a descriptor's attribute names). */
  public static final Set<String> NAMES = Set.of("auth-secret-file", "encryption", "keystore", "keystore-type",
      "keystore-password-file", "key-alias", "key-password-file", "auth-keystore", "auth-keystore-password-file",
      "auth-key-alias", "truststore", "truststore-password-file");

  /** Without certificate AUTH. */
  public SecurityFiles(Path authSecretFile, Path keystore, String keystoreType, Path keystorePasswordFile,
      String keyAlias, Path keyPasswordFile, String encryption) {
    this(authSecretFile, keystore, keystoreType, keystorePasswordFile, keyAlias, keyPasswordFile, encryption, null,
        null, KeystoreFile.DEFAULT_ALIAS, null, null);
  }
  /** The values of the {@code encryption} setting. */
  public static final List<String> ENCRYPTIONS = List.of("none", "symmetric", "asymmetric");

  /**
   * The files named in {@code settings} (keys from {@link #NAMES}).
   *
   * @throws IllegalArgumentException naming an unknown setting
   */
  public static SecurityFiles fromSettings(Map<String, String> settings) {
    Map<String, String> unknown = new HashMap<>(settings);
    unknown.keySet().removeAll(NAMES);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown JGroups security settings " + unknown.keySet() + "; known: "
          + NAMES);
    }
    return new SecurityFiles(path(settings, "auth-secret-file"), path(settings, "keystore"),
        settings.getOrDefault("keystore-type", KeystoreFile.DEFAULT_TYPE), path(settings, "keystore-password-file"),
        settings.getOrDefault("key-alias", KeystoreFile.DEFAULT_ALIAS), path(settings, "key-password-file"),
        settings.get("encryption"), path(settings, "auth-keystore"), path(settings, "auth-keystore-password-file"),
        settings.getOrDefault("auth-key-alias", KeystoreFile.DEFAULT_ALIAS), path(settings, "truststore"),
        path(settings, "truststore-password-file"));
  }

  /** Adds certificate AUTH to {@code security} if the files name it, after checking they come as a set. */
  private void certificates(ClusterSecurity.Builder security, UnaryOperator<String> label) {
    if (authKeystore == null && truststore == null && authKeystorePasswordFile == null
        && truststorePasswordFile == null) {
      return;
    }
    if (authSecretFile != null) {
      throw new IllegalArgumentException(label.apply("auth-secret-file") + " and " + label.apply("auth-keystore")
          + " exclude each other: AUTH checks either a shared secret or certificates");
    }
    Map<String, Path> required = new java.util.LinkedHashMap<>();
    required.put("auth-keystore", authKeystore);
    required.put("auth-keystore-password-file", authKeystorePasswordFile);
    required.put("truststore", truststore);
    required.put("truststore-password-file", truststorePasswordFile);
    required.forEach((name, file) -> {
      if (file == null) {
        throw new IllegalArgumentException("certificate AUTH needs " + label.apply("auth-keystore") + ", "
            + label.apply("auth-keystore-password-file") + ", " + label.apply("truststore") + " and "
            + label.apply("truststore-password-file") + "; " + label.apply(name) + " is missing");
      }
    });
    char[] keyPassword = SecretFile.readChars(authKeystorePasswordFile, label.apply("auth-keystore-password-file"));
    char[] trustPassword = null;
    try {
      trustPassword = SecretFile.readChars(truststorePasswordFile, label.apply("truststore-password-file"));
      KeystoreFile identity = KeystoreFile.of(authKeystore, keyPassword).alias(authKeyAlias);
      KeystoreFile trusted = KeystoreFile.of(truststore, trustPassword);
      security.certificateAuth(identity, trusted);
    } finally {
      Arrays.fill(keyPassword, '\0');
      if (trustPassword != null) {
        Arrays.fill(trustPassword, '\0');
      }
    }
  }

  /** Builds, naming the certificate AUTH files in an error about them. */
  private ClusterSecurity build(ClusterSecurity.Builder security, UnaryOperator<String> label) {
    try {
      return security.build();
    } catch (GridConfigurationException e) {
      if (authKeystore == null || !e.getMessage().startsWith("certificate authentication")) {
        throw e;
      }
      throw new GridConfigurationException("certificate AUTH (" + label.apply("auth-keystore") + " " + authKeystore
          + ", " + label.apply("auth-key-alias") + " " + authKeyAlias + ", " + label.apply("truststore") + " "
          + truststore + "): " + e.getMessage());
    }
  }

  private static Path path(Map<String, String> settings, String name) {
    return Optional.ofNullable(settings.get(name)).map(Path::of).orElse(null);
  }

  /**
   * Reads the secrets and builds the security they describe.
   *
   * @param label how the configuration spells a setting's name in messages (e.g. {@code --keystore})
   * @throws IllegalArgumentException or {@link GridConfigurationException} naming the setting and the file
   */
  public ClusterSecurity load(UnaryOperator<String> label) {
    String chosen = encryption != null ? encryption.trim().toLowerCase(Locale.ROOT)
        : keystore != null ? "symmetric" : "none";
    if (!ENCRYPTIONS.contains(chosen)) {
      throw new IllegalArgumentException(label.apply("encryption") + " " + encryption + ": use one of "
          + ENCRYPTIONS);
    }
    if (!chosen.equals("symmetric") && keystore != null) {
      throw new IllegalArgumentException(label.apply("encryption") + " " + chosen + " takes no "
          + label.apply("keystore") + " (" + keystore + "); the keystore is for " + label.apply("encryption")
          + " symmetric");
    }
    if (chosen.equals("symmetric") && keystore == null) {
      throw new IllegalArgumentException(label.apply("encryption") + " symmetric needs " + label.apply("keystore")
          + " and " + label.apply("keystore-password-file"));
    }
    if (chosen.equals("asymmetric") && authSecretFile == null && authKeystore == null) {
      throw new IllegalArgumentException(label.apply("encryption") + " asymmetric needs "
          + label.apply("auth-secret-file") + " or " + label.apply("auth-keystore") + ": the coordinator hands the "
          + "group key to every node it lets join, so only AUTH keeps it from strangers");
    }
    ClusterSecurity.Builder security = ClusterSecurity.builder();
    if (chosen.equals("asymmetric")) {
      security.asymmetricEncryption();
    }
    certificates(security, label);
    if (authSecretFile != null) {
      byte[] secret = SecretFile.readBytes(authSecretFile, label.apply("auth-secret-file"));
      try {
        security.authSecret(secret);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(label.apply("auth-secret-file") + " " + authSecretFile + ": "
            + e.getMessage(), e);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
    if (keystore == null) {
      if (keystorePasswordFile != null || keyPasswordFile != null) {
        throw new IllegalArgumentException(label.apply("keystore-password-file") + " and "
            + label.apply("key-password-file") + " need " + label.apply("keystore"));
      }
      return build(security, label);
    }
    if (keystorePasswordFile == null) {
      throw new IllegalArgumentException(label.apply("keystore") + " needs " + label.apply("keystore-password-file")
          + " (the password is read from a file so that it is not in ps)");
    }
    char[] storePassword = SecretFile.readChars(keystorePasswordFile, label.apply("keystore-password-file"));
    char[] keyPassword = keyPasswordFile != null
        ? SecretFile.readChars(keyPasswordFile, label.apply("key-password-file")) : null;
    try {
      KeystoreFile keys = KeystoreFile.of(keystore, storePassword).type(keystoreType).alias(keyAlias);
      if (keyPassword != null) {
        keys = keys.keyPassword(keyPassword);
      }
      security.symmetricEncryption(keys);
      if (authKeystore != null) {
        return build(security, label); // its errors name the auth files
      }
      return security.build();
    } catch (GridConfigurationException e) {
      if (authKeystore != null && e.getMessage().startsWith("certificate AUTH")) {
        throw e;
      }
      throw new GridConfigurationException(label.apply("keystore") + " " + keystore + " (" + label.apply("key-alias")
          + " " + keyAlias + ", " + label.apply("keystore-type") + " " + keystoreType + "): " + e.getMessage());
    } finally {
      Arrays.fill(storePassword, '\0');
      if (keyPassword != null) {
        Arrays.fill(keyPassword, '\0');
      }
    }
  }
}
