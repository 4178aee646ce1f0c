package io.quire.store.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedReadOnlyVolumeTest {
  @TempDir
  Path dir;

  private Path fileOf(int length) throws Exception {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return Files.write(dir.resolve("pages-" + length + ".db"), bytes);
  }

  @Test
  void aFileOfAnyLength_readsBackEveryByte_andNothingPastItsEnd() throws Exception {
    Path file = fileOf(3 * 65_536 + 17);
    byte[] expected = Files.readAllBytes(file);
    MappedReadOnlyVolume volume = new MappedReadOnlyVolume(file);
    try {
      assertThat(volume.length()).isEqualTo(expected.length);
      byte[] read = new byte[expected.length];
      volume.getData(0, read, 0, read.length);
      assertThat(read).isEqualTo(expected);
      assertThat(volume.getInt(expected.length - 4))
          .isEqualTo(java.nio.ByteBuffer.wrap(expected, expected.length - 4, 4).getInt());
      assertThatThrownBy(() -> volume.getLong(expected.length - 4)).isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> volume.ensureAvailable(expected.length + 1L)).isInstanceOf(RuntimeException.class);
      assertThatThrownBy(() -> volume.putInt(0, 1)).isInstanceOf(RuntimeException.class);
    } finally {
      volume.close();
    }
  }

  @Test
  void afterClose_readsFailWithAnException_andTheFileIsNoLongerMapped() throws Exception {
    Path file = fileOf(65_536);
    MappedReadOnlyVolume volume = new MappedReadOnlyVolume(file);
    volume.getLong(0);
    volume.close();

    assertThatThrownBy(() -> volume.getLong(0)).isInstanceOf(RuntimeException.class);
    Path maps = Path.of("/proc/self/maps");
    assumeThat(Files.isReadable(maps)).as("Linux's list of this process's mappings").isTrue();
    assertThat(Files.readString(maps)).doesNotContain(file.toString());
  }

  @Test
  void anEmptyFile_opensWithNoSlices() throws Exception {
    MappedReadOnlyVolume volume = new MappedReadOnlyVolume(fileOf(0));
    assertThat(volume.length()).isZero();
    assertThatThrownBy(() -> volume.getLong(0)).isInstanceOf(RuntimeException.class);
    volume.close();
  }
}
