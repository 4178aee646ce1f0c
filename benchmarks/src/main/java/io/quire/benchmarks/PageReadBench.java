package io.quire.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quire.core.GridConfig;
import io.quire.core.GridNode;
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
 * A read of a resident page through the memory API, against the same read one layer down (the RAM tier store) and a
 * plain Caffeine {@code getIfPresent} on the same keys. All three read 4096 resident pages in the same shuffled order.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PageReadBench {
  static final int PAGES = 4096;
  static final int MASK = PAGES - 1;
  static final PageSize PAGE_SIZE = PageSize.DEFAULT;
  /** Room for every data page twice over, plus the directory and claim pages. */
  static final long RAM_BUDGET = 2L * PAGES * (PAGE_SIZE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES) + (1 << 20);

  /** A node whose RAM tier holds all 4096 pages of one volatile range, each written once. */
  @State(Scope.Benchmark)
  public static class NodeState {
    Path dir;
    GridNode node;
    Memory memory;
    GlobalAddress[] reads;

    @Setup(Level.Trial)
    public void setUp() {
      dir = TempDirs.create("page-read");
      node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE_SIZE).withRamBudgetBytes(RAM_BUDGET));
      memory = node.memory();
      AddressRange range = memory.allocate(PAGES, Durability.VOLATILE);
      GlobalAddress[] keys = new GlobalAddress[PAGES];
      for (int i = 0; i < PAGES; i++) {
        keys[i] = range.page(i);
        memory.write(keys[i], Keys.fullPage(PAGE_SIZE.bytes(), i));
      }
      reads = Keys.shuffledCopies(keys, PAGES, 42);
      long resident = node.stats().ramPages();
      if (resident < PAGES || node.stats().pageOuts() != 0) {
        throw new IllegalStateException("pages are not all resident: " + node.stats());
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      System.out.println();
      System.out.println("node after run: " + node.stats());
      node.close();
      TempDirs.delete(dir);
    }
  }

  /** The RAM tier on its own, holding the same pages. */
  @State(Scope.Benchmark)
  public static class StoreState {
    CaffeinePageStore store;
    GlobalAddress[] reads;

    @Setup(Level.Trial)
    public void setUp() {
      store = new CaffeinePageStore(RAM_BUDGET, page -> {
        throw new IllegalStateException("the benchmark budget should never evict " + page);
      });
      GlobalAddress[] keys = dataKeys();
      for (int i = 0; i < PAGES; i++) {
        store.write(Page.adopt(keys[i], 1, true, true, Keys.fullPage(PAGE_SIZE.bytes(), i)));
      }
      reads = Keys.shuffledCopies(keys, PAGES, 42);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      store.close();
    }
  }

  /** The baseline: a Caffeine cache of byte arrays, bounded and maintained like the RAM tier. */
  @State(Scope.Benchmark)
  public static class CaffeineState {
    Cache<GlobalAddress, byte[]> cache;
    GlobalAddress[] reads;

    @Setup(Level.Trial)
    public void setUp() {
      cache = Caffeine.newBuilder()
          .maximumWeight(RAM_BUDGET)
          .weigher((GlobalAddress k, byte[] v) -> v.length + CaffeinePageStore.ENTRY_OVERHEAD_BYTES)
          .executor(Runnable::run)
          .build();
      GlobalAddress[] keys = dataKeys();
      for (int i = 0; i < PAGES; i++) {
        cache.put(keys[i], Keys.fullPage(PAGE_SIZE.bytes(), i));
      }
      reads = Keys.shuffledCopies(keys, PAGES, 42);
    }
  }

  /** Per-thread position in the shuffled read order. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    int next() {
      return index++ & MASK;
    }
  }

  /** Page addresses shaped like the node's data region (upper 64 bits = 1), for the stores built outside a node. */
  static GlobalAddress[] dataKeys() {
    GlobalAddress[] keys = new GlobalAddress[PAGES];
    GlobalAddress base = new GlobalAddress(1, 0);
    for (int i = 0; i < PAGES; i++) {
      keys[i] = base.plusPages(i, PAGE_SIZE);
    }
    return keys;
  }

  @Benchmark
  public Page memoryReadRamTier(NodeState state, Cursor cursor) {
    return state.memory.read(state.reads[cursor.next()]);
  }

  @Benchmark
  public Page ramTierStoreRead(StoreState state, Cursor cursor) {
    return state.store.read(state.reads[cursor.next()]);
  }

  @Benchmark
  public byte[] caffeineGetIfPresent(CaffeineState state, Cursor cursor) {
    return state.cache.getIfPresent(state.reads[cursor.next()]);
  }
}
