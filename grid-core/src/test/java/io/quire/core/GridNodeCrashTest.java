package io.quire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.page.Page;
import io.quire.core.testing.ChildJvm;
import io.quire.spi.store.StoreFileLockedException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a node killed with SIGKILL mid-write, and a data directory held by another process. */
class GridNodeCrashTest {
  private static final int PAGES = 8;

  @TempDir
  Path dir;

  @Test
  void sigkillMidWrite_everyPersistentWriteThatReturnedSurvives() throws Exception {
    List<String> seen = new ArrayList<>();
    Map<Integer, Long> acked = new HashMap<>();
    GlobalAddress start;
    try (ChildJvm child = ChildJvm.start(PersistentWriterMain.class, dir.toString(), String.valueOf(PAGES),
        "100000")) {
      String[] range = child.awaitLine(line -> line.startsWith("RANGE "), 60, seen).split(" ");
      start = new GlobalAddress(Long.parseLong(range[1]), Long.parseLong(range[2]));
      for (int i = 0; i < 150; i++) {
        record(child.awaitLine(line -> line.startsWith("ACK "), 60, seen), acked);
      }
      child.kill();
      for (String line : child.drain()) {
        if (line.startsWith("ACK ")) {
          record(line, acked);
        }
      }
      assertThat(seen).noneMatch(line -> line.equals("DONE"));
    }

    try (GridNode node = GridNode.open(GridConfig.defaults(dir))) {
      AddressRange range = new AddressRange(start, PAGES, PageSize.DEFAULT);
      for (Map.Entry<Integer, Long> ack : acked.entrySet()) {
        Page page = node.memory().read(range.page(ack.getKey()));
        long value = ByteBuffer.wrap(page.toByteArray(8)).getLong();
        // The writer may have completed one more write of the page after its last ACK reached us, never fewer.
        assertThat(value).as("page %d after SIGKILL", ack.getKey()).isGreaterThanOrEqualTo(ack.getValue());
      }
      assertThat(node.stats().ranges()).isEqualTo(1);
    }
  }

  @Test
  void open_directoryHeldByAnotherProcess_throwsStoreFileLocked() throws Exception {
    List<String> seen = new ArrayList<>();
    try (ChildJvm holder = ChildJvm.start(NodeHolderMain.class, dir.toString())) {
      holder.awaitLine(line -> line.startsWith("OPEN "), 60, seen);
      assertThatThrownBy(() -> GridNode.open(GridConfig.defaults(dir)))
          .isInstanceOf(StoreFileLockedException.class).hasMessageContaining(dir.toString());
    }
  }

  private static void record(String ackLine, Map<Integer, Long> acked) {
    String[] parts = ackLine.split(" ");
    acked.merge(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Math::max);
  }
}
