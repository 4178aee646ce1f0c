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
 * a shared-secret file for AUTH, a keystore with its password files for SYM_ENCRYPT, or {@code encryption=asymmetric}
 * for ASYM_ENCRYPT (no key files; needs the AUTH secret). {@link #load} reads them
 * into a {@link ClusterSecurity}; secrets live only in files, so they never show in {@code ps}, and are wiped from
 * memory once handed over.
 *
 * @param authSecretFile the AUTH shared secret, or null for no AUTH
 * @param keystore the keystore holding the SYM_ENCRYPT key, or null for no encryption
 * @param keystoreType its type, e.g. PKCS12 or JCEKS
 * @param keystorePasswordFile the file holding the keystore's password (required with a keystore)
 * @param keyAlias the key's alias in the keystore
 * @param keyPasswordFile the file holding the key's password, or null when it is the keystore's
 * @param encryption {@code none}, {@code symmetric} (needs a keystore) or {@code asymmetric} (needs an auth secret
 *     file, no keystore); null for symmetric with a keystore and none without
 */
public record SecurityFiles(Path authSecretFile, Path keystore, String keystoreType, Path keystorePasswordFile,
    String keyAlias, Path keyPasswordFile, String encryption) {

  /** The settings' names, as {@link #fromSettings} reads them (a descriptor's attribute names). */
  public static final Set<String> NAMES = Set.of("auth-secret-file", "encryption", "keystore", "keystore-type",
      "keystore-password-file", "key-alias", "key-password-file");
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
        settings.get("encryption"));
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
    if (chosen.equals("asymmetric") && authSecretFile == null) {
      throw new IllegalArgumentException(label.apply("encryption") + " asymmetric needs "
          + label.apply("auth-secret-file") + ": the coordinator hands the group key to every node it lets join, "
          + "so only AUTH keeps it from strangers");
    }
    ClusterSecurity.Builder security = ClusterSecurity.builder();
    if (chosen.equals("asymmetric")) {
      security.asymmetricEncryption();
    }
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
      return security.build();
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
      return security.symmetricEncryption(keys).build();
    } catch (GridConfigurationException e) {
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
