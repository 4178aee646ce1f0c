package io.quire.store.disk;

import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mapdb.DBException;
import org.mapdb.volume.ByteBufferVol;

/**
 * A read-only MapDB volume over a whole file mapped into memory, for {@link PageFile}. MapDB's own
 * {@code MappedFileVol} maps whole slices, so it cannot open a read-only file whose length is not a multiple of its
 * slice size; this one maps slices of 1 GiB and a last one of what is left.
 *
 * <p>Not thread-safe for {@link #close}: its owner closes it only when no read can run (under the disk store's lock).
 * Reads are plain memory reads; reads past the end fail with an exception, never with a fault.
 */
final class MappedReadOnlyVolume extends ByteBufferVol {
  private static final int SLICE_SHIFT = 30;

  private final File file;
  private final long length;

  MappedReadOnlyVolume(Path path) throws IOException {
    super(true, SLICE_SHIFT, false);
    this.file = path.toFile();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      length = channel.size();
      int count = (int) ((length + sliceSize - 1) >>> SLICE_SHIFT);
      ByteBuffer[] mapped = new ByteBuffer[count];
      for (int i = 0; i < count; i++) {
        long start = (long) i << SLICE_SHIFT;
        mapped[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(sliceSize, length - start));
      }
      slices = mapped;
    }
  }

  @Override
  public void ensureAvailable(long offset) {
    if (offset > length) {
      throw new DBException.VolumeIOError(new EOFException("offset " + offset + " is past the end of " + file
          + " (" + length + " bytes)"));
    }
  }

  @Override
  public void truncate(long size) {
    throw new UnsupportedOperationException("read-only volume " + file);
  }

  @Override
  public void sync() {
    // Read-only: nothing to write.
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public File getFile() {
    return file;
  }

  @Override
  public boolean getFileLocked() {
    return false;
  }

  /**
   * Unmaps the file now, so a deleted page file's disk space is freed at once rather than at some later GC. A read
   * after this fails with an exception (the slices are gone first), never touches the unmapped memory.
   */
  @Override
  public void close() {
    ByteBuffer[] mapped = slices;
    slices = new ByteBuffer[0];
    for (ByteBuffer slice : mapped) {
      Unmapper.unmap((MappedByteBuffer) slice);
    }
  }
}
