package io.quire.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quire.core.NodeId;
import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.directory.Directory;
import io.quire.core.directory.DirectoryPageIo;
import io.quire.core.directory.RangeEntry;
import io.quire.core.page.Durability;
import io.quire.core.page.Page;
import io.quire.store.ram.CaffeinePageStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Directory lookup of random allocated addresses over 10^3 and 10^6 single-page ranges, against a Caffeine
 * {@code getIfPresent} over a cache holding the same number of entries.
 *
 * <p>The directory's pages live in RAM behind one of two {@link DirectoryPageIo}s ({@code io} parameter):
 * <ul>
 *   <li>{@code ramTier}: a {@link CaffeinePageStore} whose budget holds every directory page, read and written the way
 *       a node's {@code SystemPages} does it (the page's shared bytes on read, {@code Page.of} on write). This is
 *       what a lookup costs inside a node whose directory is resident.</li>
 *   <li>{@code map}: a {@link ConcurrentHashMap} of byte arrays handed out without copying: the cost of the tree walk
 *       alone.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DirectoryLookupBench {
  static final PageSize PAGE_SIZE = PageSize.DEFAULT;
  /** Lookup addresses per run, cycled; large enough that the 10^6 case touches most of the tree. */
  static final int LOOKUPS = 1 << 20;
  static final int MASK = LOOKUPS - 1;
  static final NodeId NODE = new NodeId(1);

  /** Directory pages in a RAM-tier store, read without a copy like {@code SystemPages}. */
  static final class RamTierIo implements DirectoryPageIo {
    final CaffeinePageStore store = new CaffeinePageStore(Long.MAX_VALUE, page -> {
      throw new IllegalStateException("the directory benchmark's RAM tier must never evict " + page);
    });
    final AtomicLong nextPage = new AtomicLong(16);

    @Override
    public byte[] read(GlobalAddress page) {
      Page stored = store.read(page);
      return stored == null ? null : stored.sharedBytes();
    }

    @Override
    public void write(GlobalAddress page, byte[] bytes) {
      Page current = store.read(page);
      store.write(Page.of(page, current == null ? 1 : current.version() + 1, false, false, bytes));
    }

    @Override
    public GlobalAddress allocatePage() {
      return GlobalAddress.ZERO.plusPages(nextPage.getAndIncrement(), PAGE_SIZE);
    }

    @Override
    public void freePage(GlobalAddress page) {
      store.remove(page);
    }
  }

  /** Directory pages in a plain map; reads hand out the stored array (the directory never modifies it). */
  static final class MapIo implements DirectoryPageIo {
    final ConcurrentHashMap<GlobalAddress, byte[]> pages = new ConcurrentHashMap<>();
    final AtomicLong nextPage = new AtomicLong(16);

    @Override
    public byte[] read(GlobalAddress page) {
      return pages.get(page);
    }

    @Override
    public void write(GlobalAddress page, byte[] bytes) {
      pages.put(page, bytes.clone());
    }

    @Override
    public GlobalAddress allocatePage() {
      return GlobalAddress.ZERO.plusPages(nextPage.getAndIncrement(), PAGE_SIZE);
    }

    @Override
    public void freePage(GlobalAddress page) {
      pages.remove(page);
    }
  }

  /** Range starts 0..n-1 pages into the data region, the shape the address generator hands out. */
  static GlobalAddress[] rangeStarts(int n) {
    GlobalAddress base = new GlobalAddress(1, 0);
    GlobalAddress[] starts = new GlobalAddress[n];
    for (int i = 0; i < n; i++) {
      starts[i] = base.plusPages(i, PAGE_SIZE);
    }
    return starts;
  }

  @State(Scope.Benchmark)
  public static class DirectoryState {
    @Param({"1000", "1000000"})
    int ranges;

    @Param({"ramTier", "map"})
    String io;

    Directory directory;
    GlobalAddress[] lookups;

    @Setup(Level.Trial)
    public void setUp() {
      DirectoryPageIo pageIo = switch (io) {
        case "ramTier" -> new RamTierIo();
        case "map" -> new MapIo();
        default -> throw new IllegalArgumentException("io must be ramTier or map, not " + io);
      };
      directory = Directory.open(pageIo, PAGE_SIZE);
      GlobalAddress[] starts = rangeStarts(ranges);
      long t0 = System.nanoTime();
      // Ascending order, as the address generator hands ranges out.
      for (GlobalAddress start : starts) {
        directory.insert(new RangeEntry(new AddressRange(start, 1, PAGE_SIZE), NODE, Durability.VOLATILE));
      }
      long took = System.nanoTime() - t0;
      System.out.printf("%n%d inserts (%s io) took %.1f ms, %.0f ns/insert; depth %d%n", ranges, io, took / 1e6,
          (double) took / ranges, directory.depth());
      lookups = Keys.shuffledCopies(starts, LOOKUPS, 42);
      if (directory.lookup(lookups[0]) == null) {
        throw new IllegalStateException("lookup of an inserted range found nothing");
      }
    }
  }

  @State(Scope.Benchmark)
  public static class CaffeineState {
    @Param({"1000", "1000000"})
    int ranges;

    Cache<GlobalAddress, RangeEntry> cache;
    GlobalAddress[] lookups;

    @Setup(Level.Trial)
    public void setUp() {
      cache = Caffeine.newBuilder().maximumSize(2L * ranges).executor(Runnable::run).build();
      GlobalAddress[] starts = rangeStarts(ranges);
      for (GlobalAddress start : starts) {
        cache.put(start, new RangeEntry(new AddressRange(start, 1, PAGE_SIZE), NODE, Durability.VOLATILE));
      }
      lookups = Keys.shuffledCopies(starts, LOOKUPS, 42);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      cache.invalidateAll();
    }
  }

  /** Per-thread position in the random lookup sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    int next() {
      return index++ & MASK;
    }
  }

  @Benchmark
  public RangeEntry lookup(DirectoryState state, Cursor cursor) {
    return state.directory.lookup(state.lookups[cursor.next()]);
  }

  @Benchmark
  public RangeEntry caffeineGetIfPresent(CaffeineState state, Cursor cursor) {
    return state.cache.getIfPresent(state.lookups[cursor.next()]);
  }
}
