package io.quire.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.GridStats;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import io.quire.store.ram.CaffeinePageStore;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A read that pages in from disk: the RAM tier holds 2 pages and the reads go round-robin over 1024 persistent
 * pages, so (nearly) every read misses RAM, looks the range up in the directory and reads the MapDB file. The
 * tear-down prints page-ins per read to prove it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DiskReadBench {
  static final int PAGES = 1024;
  static final int MASK = PAGES - 1;
  static final PageSize PAGE_SIZE = PageSize.DEFAULT;
  static final long RAM_BUDGET = 2L * (PAGE_SIZE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES);

  @State(Scope.Benchmark)
  public static class NodeState {
    Path dir;
    GridNode node;
    Memory memory;
    GlobalAddress[] reads;
    GridStats before;
    long reads0;

    @Setup(Level.Trial)
    public void setUp() {
      dir = TempDirs.create("disk-read");
      node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE_SIZE).withRamBudgetBytes(RAM_BUDGET));
      memory = node.memory();
      AddressRange range = memory.allocate(PAGES, Durability.PERSISTENT);
      reads = new GlobalAddress[PAGES];
      for (int i = 0; i < PAGES; i++) {
        GlobalAddress page = range.page(i);
        memory.write(page, Keys.fullPage(PAGE_SIZE.bytes(), i));
        reads[i] = new GlobalAddress(page.hi(), page.lo());
      }
      before = node.stats();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      GridStats after = node.stats();
      System.out.println();
      System.out.printf("node after run: %s%npage-ins during the run: %d (ram pages %d)%n", after,
          after.pageIns() - before.pageIns(), after.ramPages());
      node.close();
      TempDirs.delete(dir);
    }
  }

  @State(Scope.Benchmark)
  public static class CaffeineState {
    Cache<GlobalAddress, byte[]> cache;
    GlobalAddress[] reads;

    @Setup(Level.Trial)
    public void setUp() {
      cache = Caffeine.newBuilder()
          .maximumWeight(2L * PAGES * (PAGE_SIZE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES))
          .weigher((GlobalAddress k, byte[] v) -> v.length + CaffeinePageStore.ENTRY_OVERHEAD_BYTES)
          .executor(Runnable::run)
          .build();
      reads = new GlobalAddress[PAGES];
      GlobalAddress base = new GlobalAddress(1, 0);
      for (int i = 0; i < PAGES; i++) {
        GlobalAddress page = base.plusPages(i, PAGE_SIZE);
        cache.put(page, Keys.fullPage(PAGE_SIZE.bytes(), i));
        reads[i] = new GlobalAddress(page.hi(), page.lo());
      }
    }
  }

  /** Per-thread round-robin position. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    int next() {
      return index++ & MASK;
    }
  }

  @Benchmark
  public Page memoryReadFromDisk(NodeState state, Cursor cursor) {
    return state.memory.read(state.reads[cursor.next()]);
  }

  @Benchmark
  public byte[] caffeineGetIfPresent(CaffeineState state, Cursor cursor) {
    return state.cache.getIfPresent(state.reads[cursor.next()]);
  }
}
