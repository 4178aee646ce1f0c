package io.quire.benchmarks;

import io.quire.jcache.GridMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Heap bytes per entry, by the JVM's own accounting: opens one provider's cache as {@link GrowthBench} does
 * ({@link ScaleCaches#onHeap}), forces a GC and reads {@code MemoryMXBean} heap used, puts {@value #ENTRIES}
 * {@code Long} keys with {@value GrowthBench#VALUE_BYTES}-byte values, forces a GC again and divides the growth by
 * the entry count. The provider's fixed cost (its manager, threads, an empty cache) is in the first reading and so
 * not counted. The benchmark keeps no reference to the keys or values it put.
 *
 * <p>Run once per provider, each in a fresh JVM (run.sh does this after a {@code GrowthBench} run):
 * {@code java -Xms2g -Xmx2g -cp benchmarks.jar io.quire.benchmarks.HeapPerEntry quire [result.jsonl]}. It prints
 * one line and, given a file, appends it as JSON. Quire keeps its pages on the heap (its RAM tier is a Caffeine map
 * of page arrays; the disk tier is read through a file channel, nothing is memory-mapped or off-heap), so heap growth
 * is all of it; the line also gives the RAM tier's own count of its bytes and what Quire has on disk (both expected
 * to be a page-sized overhead at most, since the budget holds every page).
 */
public final class HeapPerEntry {
  static final int ENTRIES = 1_000_000;

  private HeapPerEntry() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: HeapPerEntry quire|ehcache|caffeine|hazelcast [result.jsonl]");
      System.exit(2);
    }
    String provider = args[0];
    String line;
    try (ScaleCaches caches = ScaleCaches.onHeap(provider, GrowthBench.QUIRE_RAM_BUDGET)) {
      caches.preload(1, i -> ScaleCaches.value(GrowthBench.VALUE_BYTES, i)); // the first put's one-off classes/pages
      long before = heapAfterGc();
      long ms = caches.preload(ENTRIES, i -> ScaleCaches.value(GrowthBench.VALUE_BYTES, i));
      long after = heapAfterGc();
      caches.check(ENTRIES, 1000, i -> ScaleCaches.value(GrowthBench.VALUE_BYTES, i));
      if (caches.cache.get((long) ENTRIES - 1) == null) {
        throw new IllegalStateException(provider + ": the last entry is missing");
      }
      GridMetrics m = caches.quireMetrics();
      double perEntry = (after - before) / (double) ENTRIES;
      line = String.format(
          "{\"provider\": \"%s\", \"entries\": %d, \"valueBytes\": %d, \"heapBefore\": %d, \"heapAfter\": %d, "
              + "\"bytesPerEntry\": %.1f, \"preloadMs\": %d, \"quireRamBytes\": %d, \"quireDiskPages\": %d, "
              + "\"bytesOnDisk\": %d}",
          provider, ENTRIES, GrowthBench.VALUE_BYTES, before, after, perEntry, ms, m == null ? -1 : m.ramBytes(),
          m == null ? -1 : m.diskPages(), caches.bytesOnDisk());
    }
    System.out.println(line);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), line + System.lineSeparator(), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    System.exit(0); // providers' non-daemon threads (Hazelcast's) must not keep the JVM alive
  }

  /** Heap used after GCs, once two readings in a row agree within 1 MiB (a full GC can leave floating garbage). */
  static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < (1 << 20)) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
