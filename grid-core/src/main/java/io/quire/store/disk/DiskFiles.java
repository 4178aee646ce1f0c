package io.quire.store.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The few file-system steps that make a file's creation, replacement or deletion survive a crash. */
final class DiskFiles {

  /** The suffix of files being built; a crash can leave one behind, and opening a store deletes it. */
  static final String TMP_SUFFIX = ".tmp";

  private DiskFiles() {}

  /**
   * Syncs the directory itself, so that files created, renamed or deleted in it stay that way after a crash. Linux
   * allows opening a directory for reading and forcing it; where a platform refuses, there is nothing better to do.
   */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
        throw e;
      }
    }
  }

  /**
   * Makes {@code target} hold exactly {@code content}, all or nothing: written to {@code target.tmp}, synced,
   * renamed over {@code target} and the directory synced.
   */
  static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = tmpOf(target);
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.wrap(content), 0);
      out.force(true);
    }
    publish(tmp, target);
  }

  /** Renames a synced {@code tmp} file to {@code target} atomically and syncs the directory. */
  static void publish(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.toAbsolutePath().getParent());
  }

  /** The temporary name {@code target} is built under. */
  static Path tmpOf(Path target) {
    return target.resolveSibling(target.getFileName() + TMP_SUFFIX);
  }

  /** Writes all of {@code buffer} at {@code position}. */
  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  /** Reads {@code buffer.remaining()} bytes at {@code position}; false when the file ends first. */
  static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        return false;
      }
      at += read;
    }
    return true;
  }
}
