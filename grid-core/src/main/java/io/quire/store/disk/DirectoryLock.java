package io.quire.store.disk;

import io.quire.spi.store.StoreException;
import io.quire.spi.store.StoreFileLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ownership of a store directory: a lock on its {@code LOCK} file, held from open to close, which keeps out other
 * processes, plus a JVM-wide set of open directories, which keeps out other stores in this JVM.
 *
 * <p>The set is checked before {@code LOCK} is touched because the file lock is a POSIX record lock, which the kernel
 * drops when the process closes <em>any</em> channel of the file: a second open in this JVM that opened the file,
 * failed to lock it and closed its channel would silently release the first store's lock for every other process.
 */
final class DirectoryLock implements Closeable {

  /** The file whose lock marks the directory as in use. */
  static final String FILE_NAME = "LOCK";

  private static final Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path realDirectory;
  private final FileChannel channel;
  private boolean released;

  private DirectoryLock(Path realDirectory, FileChannel channel) {
    this.realDirectory = realDirectory;
    this.channel = channel;
  }

  /**
   * Creates {@code directory} if needed and takes it.
   *
   * @throws StoreFileLockedException if a store in this or another process holds it
   * @throws StoreException if the directory or its lock file cannot be created
   */
  static DirectoryLock acquire(Path directory) {
    Path realDirectory;
    try {
      Files.createDirectories(directory);
      realDirectory = directory.toRealPath();
    } catch (IOException e) {
      throw new StoreException("could not create or open disk store " + directory + ": " + e, e);
    }
    if (!OPEN_IN_THIS_JVM.add(realDirectory)) {
      throw new StoreFileLockedException(directory, null);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(realDirectory.resolve(FILE_NAME), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new StoreFileLockedException(directory, null);
      }
      return new DirectoryLock(realDirectory, channel);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, e);
      OPEN_IN_THIS_JVM.remove(realDirectory);
      if (e instanceof OverlappingFileLockException) {
        throw new StoreFileLockedException(directory, e);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new StoreException("could not lock disk store " + directory + ": " + e, e);
    }
  }

  /** Releases the directory; closing the channel releases the file lock. A second call does nothing. */
  @Override
  public void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    try {
      channel.close();
    } finally {
      OPEN_IN_THIS_JVM.remove(realDirectory);
    }
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
