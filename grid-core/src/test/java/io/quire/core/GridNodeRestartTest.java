package io.quire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressRange;
import io.quire.core.address.PageSize;
import io.quire.core.page.Durability;
import io.quire.spi.store.StoreFileLockedException;
import io.quire.spi.store.StoreFileMissingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Close and reopen from the same directory, and the ways a data directory can be wrong. */
class GridNodeRestartTest {
  @TempDir
  Path dir;

  @Test
  void reopen_afterClose_keepsEveryPageTheDirectoryAndTheNodeId() {
    List<AddressRange> ranges = new ArrayList<>();
    NodeId id;
    try (GridNode node = GridNode.open(GridConfig.defaults(dir).withRamBudgetBytes(16 * 1024))) {
      id = node.id();
      for (int i = 0; i < 300; i++) {
        AddressRange range = node.memory().allocate(1 + i % 3, i % 2 == 0 ? Durability.VOLATILE
            : Durability.PERSISTENT);
        node.memory().write(range.page(range.pages() - 1), ("page " + i).getBytes(StandardCharsets.UTF_8));
        ranges.add(range);
      }
    }
    try (GridNode node = GridNode.open(GridConfig.defaults(dir))) {
      assertThat(node.id()).isEqualTo(id);
      assertThat(node.stats().ranges()).isEqualTo(300);
      assertThat(node.stats().directoryDepth()).isGreaterThanOrEqualTo(1);
      for (int i = 0; i < ranges.size(); i++) {
        AddressRange range = ranges.get(i);
        assertThat(new String(node.memory().read(range.page(range.pages() - 1)).toByteArray(),
            StandardCharsets.UTF_8)).isEqualTo("page " + i);
      }
      AddressRange fresh = node.memory().allocate(1, Durability.VOLATILE);
      assertThat(fresh.start().compareTo(ranges.get(ranges.size() - 1).end())).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void open_withAnotherPageSize_throwsNamingFileAndBothSizes() {
    GridNode.open(GridConfig.defaults(dir)).close();
    assertThatThrownBy(() -> GridNode.open(GridConfig.defaults(dir).withPageSize(new PageSize(8192))))
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining(NodeDataDirectory.IDENTITY_FILE).hasMessageContaining("4096")
        .hasMessageContaining("8192");
  }

  @Test
  void open_identityWithoutPagesFile_throwsMissingRatherThanStartingEmpty() throws Exception {
    GridNode.open(GridConfig.defaults(dir)).close();
    deleteRecursively(dir.resolve(NodeDataDirectory.PAGES_DIRECTORY));
    assertThatThrownBy(() -> GridNode.open(GridConfig.defaults(dir)))
        .isInstanceOf(StoreFileMissingException.class).hasMessageContaining(NodeDataDirectory.PAGES_DIRECTORY);
  }

  @Test
  void open_malformedIdentity_throwsNamingFileAndLine() throws Exception {
    GridNode.open(GridConfig.defaults(dir)).close();
    Path identity = dir.resolve(NodeDataDirectory.IDENTITY_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(identity));
    int pageSizeLine = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("page.size=")) {
        lines.set(i, "page.size=lots");
        pageSizeLine = i + 1;
      }
    }
    Files.write(identity, lines);
    assertThatThrownBy(() -> GridNode.open(GridConfig.defaults(dir)))
        .isInstanceOf(GridConfigurationException.class)
        .hasMessageContaining(identity + ":" + pageSizeLine).hasMessageContaining("lots");
  }

  @Test
  void open_nonEmptyForeignDirectory_refusesToTakeItOver() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "not a node");
    assertThatThrownBy(() -> GridNode.open(GridConfig.defaults(dir)))
        .isInstanceOf(GridConfigurationException.class).hasMessageContaining("not a Quire data directory");
  }

  @Test
  void open_sameDirectoryTwiceInOneJvm_throwsLocked() {
    try (GridNode node = GridNode.open(GridConfig.defaults(dir))) {
      assertThatThrownBy(() -> GridNode.open(GridConfig.defaults(dir)))
          .isInstanceOf(StoreFileLockedException.class);
      assertThat(node.memory().allocate(1, Durability.VOLATILE)).isNotNull();
    }
  }

  private static void deleteRecursively(Path path) throws Exception {
    if (Files.isDirectory(path)) {
      try (var children = Files.list(path)) {
        for (Path child : children.toList()) {
          deleteRecursively(child);
        }
      }
    }
    Files.deleteIfExists(path);
  }
}
