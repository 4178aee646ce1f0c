package io.quire.node;

import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.GridStats;
import io.quire.core.address.AddressRange;
import io.quire.core.memory.Memory;
import io.quire.core.page.Durability;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The single-node demo: allocate, write more than the RAM tier holds (so pages go to disk), update atomically, close,
 * reopen from the same directory and check every page. It prints each step and returns what it verified.
 */
final class SingleNodeDemo {
  /** What the demo found. */
  record Report(int pagesWritten, int verifiedBeforeRestart, int verifiedAfterRestart, long pageOuts,
      long pageIns) {
    boolean allVerified() {
      return verifiedBeforeRestart == pagesWritten && verifiedAfterRestart == pagesWritten;
    }
  }

  /** A RAM tier of 64 pages, so a few hundred pages must page out. */
  private static final long RAM_BUDGET_BYTES = 64L * 4096;
  private static final int UPDATES_PER_PAGE = 3;

  private final Path directory;
  private final int pages;
  private final PrintStream out;

  SingleNodeDemo(Path directory, int pages, PrintStream out) {
    if (pages < 2) {
      throw new IllegalArgumentException("the demo needs at least 2 pages, not " + pages);
    }
    this.directory = directory;
    this.pages = pages;
    this.out = out;
  }

  Report run() {
    GridConfig config = GridConfig.defaults(directory).withRamBudgetBytes(RAM_BUDGET_BYTES);
    out.printf("Quire single-node demo%n  data directory: %s%n  RAM tier budget: %d KiB (%d pages of 4 KiB)%n",
        directory, RAM_BUDGET_BYTES / 1024, RAM_BUDGET_BYTES / 4096);
    AddressRange volatileRange;
    AddressRange persistentRange;
    int verifiedBefore;
    long pageOuts;
    long pageIns;
    try (GridNode node = GridNode.open(config)) {
      out.printf("1. opened node %s%n", node.id());
      Memory memory = node.memory();
      volatileRange = memory.allocate(pages / 2, Durability.VOLATILE);
      persistentRange = memory.allocate(pages - pages / 2, Durability.PERSISTENT);
      out.printf("2. allocated %s (volatile) and %s (persistent)%n", volatileRange, persistentRange);
      writeAll(memory, volatileRange);
      writeAll(memory, persistentRange);
      printStats("3. wrote " + pages + " pages", node.stats());
      for (int round = 0; round < UPDATES_PER_PAGE; round++) {
        updateAll(memory, volatileRange);
        updateAll(memory, persistentRange);
      }
      out.printf("4. applied %d atomic updates to every page%n", UPDATES_PER_PAGE);
      verifiedBefore = verify(memory, volatileRange) + verify(memory, persistentRange);
      GridStats stats = node.stats();
      printStats("5. read back and verified " + verifiedBefore + "/" + pages + " pages", stats);
      pageOuts = stats.pageOuts();
      pageIns = stats.pageIns();
    }
    out.println("6. closed the node (dirty pages written back)");
    int verifiedAfter;
    try (GridNode node = GridNode.open(config)) {
      verifiedAfter = verify(node.memory(), volatileRange) + verify(node.memory(), persistentRange);
      GridStats stats = node.stats();
      printStats("7. reopened from the same directory and verified " + verifiedAfter + "/" + pages + " pages",
          stats);
      out.printf("   directory: %d ranges, depth %d%n", stats.ranges(), stats.directoryDepth());
    }
    Report report = new Report(pages, verifiedBefore, verifiedAfter, pageOuts, pageIns);
    out.println(report.allVerified()
        ? "OK: every page survived paging to disk and a restart."
        : "FAILED: some pages did not read back as written.");
    return report;
  }

  private static void writeAll(Memory memory, AddressRange range) {
    for (long i = 0; i < range.pages(); i++) {
      memory.write(range.page(i), content(range, i, 0));
    }
  }

  /** What page {@code i} holds after {@code updates} increments: a counter, then a line of text. */
  private static byte[] content(AddressRange range, long i, long updates) {
    byte[] text = ("page " + i + " of " + range.start()).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Long.BYTES + text.length).putLong(updates).put(text).array();
  }

  private static void updateAll(Memory memory, AddressRange range) {
    for (long i = 0; i < range.pages(); i++) {
      memory.update(range.page(i), current -> {
        ByteBuffer counter = ByteBuffer.wrap(current);
        counter.putLong(0, counter.getLong(0) + 1);
        return current;
      });
    }
  }

  private static int verify(Memory memory, AddressRange range) {
    int pageSize = range.pageSize().bytes();
    int good = 0;
    for (long i = 0; i < range.pages(); i++) {
      byte[] expected = Arrays.copyOf(content(range, i, UPDATES_PER_PAGE), pageSize);
      if (Arrays.equals(memory.read(range.page(i)).toByteArray(pageSize), expected)) {
        good++;
      }
    }
    return good;
  }

  private void printStats(String step, GridStats stats) {
    out.printf("%s%n   RAM tier: %d pages, %d/%d KiB; disk tier: %d pages; paged out %d, paged in %d%n", step,
        stats.ramPages(), stats.ramBytes() / 1024, stats.ramBudgetBytes() / 1024, stats.diskPages(),
        stats.pageOuts(), stats.pageIns());
  }
}
