package io.quire.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quire.core.GridConfig;
import io.quire.core.GridNode;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.memory.Memory;
import io.quire.core.memory.PageUpdate;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import io.quire.store.ram.CaffeinePageStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * Page writes through the memory API. {@code writePersistent} commits and fsyncs the MapDB file on every call, so it
 * is milliseconds per op; run.sh runs it in a separate, shorter JMH invocation. The Caffeine baselines are a
 * {@code getIfPresent} (the common denominator of every report) and a {@code put} of a fresh 4 KiB array (the
 * closest plain-cache equivalent of a volatile page write).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class WriteBench {
  static final int PAGES = 1024;
  static final int MASK = PAGES - 1;
  static final PageSize PAGE_SIZE = PageSize.DEFAULT;
  static final long BIG_BUDGET = 4L * PAGES * (PAGE_SIZE.bytes() + CaffeinePageStore.ENTRY_OVERHEAD_BYTES) + (1 << 20);
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A node with one range of the given durability, every page written once, and a RAM budget that holds it all. */
  abstract static class NodeState {
    Path dir;
    GridNode node;
    Memory memory;
    GlobalAddress[] pages;
    byte[] content;

    void open(String name, Durability durability, int pageCount) {
      dir = TempDirs.create(name);
      node = GridNode.open(GridConfig.defaults(dir).withPageSize(PAGE_SIZE).withRamBudgetBytes(BIG_BUDGET));
      memory = node.memory();
      AddressRange range = memory.allocate(pageCount, durability);
      pages = new GlobalAddress[pageCount];
      content = Keys.fullPage(PAGE_SIZE.bytes(), 7);
      for (int i = 0; i < pageCount; i++) {
        GlobalAddress page = range.page(i);
        memory.write(page, content);
        pages[i] = new GlobalAddress(page.hi(), page.lo());
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

  @State(Scope.Benchmark)
  public static class VolatileNode extends NodeState {
    @Setup(Level.Trial)
    public void setUp() {
      open("write-volatile", Durability.VOLATILE, PAGES);
    }
  }

  @State(Scope.Benchmark)
  public static class PersistentNode extends NodeState {
    @Setup(Level.Trial)
    public void setUp() {
      open("write-persistent", Durability.PERSISTENT, 64);
    }
  }

  @State(Scope.Benchmark)
  public static class CaffeineState {
    Cache<GlobalAddress, byte[]> cache;
    GlobalAddress[] keys;
    byte[] content;

    @Setup(Level.Trial)
    public void setUp() {
      cache = Caffeine.newBuilder()
          .maximumWeight(BIG_BUDGET)
          .weigher((GlobalAddress k, byte[] v) -> v.length + CaffeinePageStore.ENTRY_OVERHEAD_BYTES)
          .executor(Runnable::run)
          .build();
      content = Keys.fullPage(PAGE_SIZE.bytes(), 7);
      keys = new GlobalAddress[PAGES];
      GlobalAddress base = new GlobalAddress(1, 0);
      for (int i = 0; i < PAGES; i++) {
        GlobalAddress page = base.plusPages(i, PAGE_SIZE);
        cache.put(page, content.clone());
        keys[i] = new GlobalAddress(page.hi(), page.lo());
      }
    }
  }

  /** Per-thread round-robin position. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    int next(int mask) {
      return index++ & mask;
    }
  }

  /** Increments the little-endian long at offset 0 of the page. */
  static final PageUpdate INCREMENT = bytes -> {
    LONG_LE.set(bytes, 0, (long) LONG_LE.get(bytes, 0) + 1);
    return bytes;
  };

  @Benchmark
  public Page writeVolatile(VolatileNode state, Cursor cursor) {
    return state.memory.write(state.pages[cursor.next(MASK)], state.content);
  }

  @Benchmark
  public Page writePersistent(PersistentNode state, Cursor cursor) {
    return state.memory.write(state.pages[cursor.next(63)], state.content);
  }

  @Benchmark
  public Page updateVolatile(VolatileNode state, Cursor cursor) {
    return state.memory.update(state.pages[cursor.next(MASK)], INCREMENT);
  }

  @Benchmark
  public byte[] caffeineGetIfPresent(CaffeineState state, Cursor cursor) {
    return state.cache.getIfPresent(state.keys[cursor.next(MASK)]);
  }

  @Benchmark
  public GlobalAddress caffeinePut(CaffeineState state, Cursor cursor) {
    GlobalAddress key = state.keys[cursor.next(MASK)];
    // A fresh array per put, like the memory API's copy of the caller's bytes.
    state.cache.put(key, state.content.clone());
    return key;
  }
}
