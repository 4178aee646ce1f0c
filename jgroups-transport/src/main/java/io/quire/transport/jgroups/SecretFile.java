package io.quire.transport.jgroups;

import static java.util.Objects.requireNonNull;

import io.quire.core.GridConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Reads secrets (a shared secret, a keystore password) from files, so that they never appear on a command line (where
 * {@code ps} shows them) or in a configuration that is logged. One trailing line break is dropped, so that
 * {@code echo secret > file} works. Errors name the option and the file, never the content.
 */
public final class SecretFile {
  private static final Logger LOG = Logger.getLogger(SecretFile.class.getName());

  private SecretFile() {}

  /**
   * The file's bytes without a trailing line break; the caller should clear the array when done.
   *
   * @param option what the file is for, in error messages (e.g. {@code --auth-secret-file})
   * @throws GridConfigurationException if the file is missing, unreadable or empty
   */
  public static byte[] readBytes(Path file, String option) {
    requireNonNull(file, "file");
    requireNonNull(option, "option");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new GridConfigurationException(option + ": secret file " + file.toAbsolutePath() + " does not exist");
    } catch (IOException | SecurityException e) {
      throw new GridConfigurationException(option + ": cannot read secret file " + file.toAbsolutePath() + " ("
          + e.getClass().getSimpleName() + ")");
    }
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\n') {
      length--;
      if (length > 0 && bytes[length - 1] == '\r') {
        length--;
      }
    }
    byte[] secret = Arrays.copyOf(bytes, length);
    Arrays.fill(bytes, (byte) 0);
    if (secret.length == 0) {
      throw new GridConfigurationException(option + ": secret file " + file.toAbsolutePath() + " is empty");
    }
    warnIfOthersCanRead(file, option);
    return secret;
  }

  /**
   * The file's text (UTF-8) without a trailing line break, for passwords; the caller should clear the array.
   *
   * @throws GridConfigurationException if the file is missing, unreadable, empty or not UTF-8
   */
  public static char[] readChars(Path file, String option) {
    byte[] bytes = readBytes(file, option);
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      char[] text = Arrays.copyOfRange(chars.array(), chars.arrayOffset() + chars.position(),
          chars.arrayOffset() + chars.limit());
      Arrays.fill(chars.array(), '\0');
      return text;
    } catch (CharacterCodingException e) {
      throw new GridConfigurationException(option + ": secret file " + file.toAbsolutePath() + " is not UTF-8 text");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void warnIfOthersCanRead(Path file, String option) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)
          || permissions.contains(PosixFilePermission.GROUP_READ)) {
        LOG.warning(() -> option + ": secret file " + file.toAbsolutePath() + " can be read by other users; "
            + "chmod 600 it");
      }
    } catch (UnsupportedOperationException | IOException | SecurityException e) {
      // Not a POSIX file system, or the attributes cannot be read: nothing to warn about.
    }
  }
}
