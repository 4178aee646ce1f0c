package io.quire.benchmarks;

import io.quire.jcache.GridMetrics;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
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
 * A data set ten times the RAM tier: {@value #KEYS} keys with {@value #VALUE_BYTES}-byte values, uniform random
 * gets and puts, Quire beside Ehcache 3 with a heap tier and a disk tier, through {@code javax.cache}.
 *
 * <ul>
 *   <li>Quire: {@code ram-budget} is a tenth of the value bytes ({@value #RAM_BYTES} B), so the rest of the pages
 *       live in its disk tier (MapDB page files and journal) and a read of one of them pages it in.
 *   <li>Ehcache: a heap tier of a tenth of the entries ({@value #HEAP_ENTRIES}) over a disk tier; values copied by
 *       serialisation on the heap tier, as a JSR-107 store-by-value cache does.
 * </ul>
 *
 * <p>{@code durability}: {@code volatile} compares Quire's volatile cache with Ehcache's non-persistent disk tier;
 * {@code persistent} compares Quire's persistent cache (write-through: a journal append and fsync per write) with
 * Ehcache's persistent disk tier (written to its file, kept across a clean restart, not fsynced per write).
 *
 * <p>The trial's set-up checks and prints that the data does not fit in RAM: Quire's page-outs and disk pages, the
 * bytes each provider has on disk, and the JVM's heap in use after a GC. It fails the trial if Quire holds every
 * page in RAM.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class LargerThanRamBench {
  static final int KEYS = 100_000;
  static final int VALUE_BYTES = 1024;
  /** A tenth of the value bytes. */
  static final long RAM_BYTES = (long) KEYS * VALUE_BYTES / 10;
  static final long HEAP_ENTRIES = KEYS / 10;
  /** Room for all the values and the provider's own overhead on disk. */
  static final long DISK_MIB = 512;
  static final int READS = 1 << 18;
  static final int PUT_VALUES = 16;

  @State(Scope.Benchmark)
  public static class Data {
    @Param({"quire", "ehcache"})
    String provider;

    @Param({"volatile", "persistent"})
    String durability;

    ScaleCaches caches;
    Long[] reads;
    byte[][] putValues;

    @Setup(Level.Trial)
    public void setUp() {
      String name = durability.equals("persistent") ? ScaleCaches.PERSISTENT : ScaleCaches.VOLATILE;
      caches = ScaleCaches.withDisk(provider, name, RAM_BYTES, HEAP_ENTRIES, DISK_MIB);
      long ms = caches.preload(KEYS, i -> ScaleCaches.value(VALUE_BYTES, i));
      caches.check(KEYS, 97, i -> ScaleCaches.value(VALUE_BYTES, i));
      reads = ScaleCaches.uniformKeys(KEYS, READS, 42);
      putValues = new byte[PUT_VALUES][];
      for (int i = 0; i < PUT_VALUES; i++) {
        putValues[i] = ScaleCaches.value(VALUE_BYTES, KEYS + i);
      }
      System.out.println();
      System.out.printf("%s/%s: preloaded %d x %d B in %d ms%n", provider, durability, KEYS, VALUE_BYTES, ms);
      report("after preload");
      GridMetrics m = caches.quireMetrics();
      if (m != null && m.pageOuts() == 0 && m.diskPages() == 0) {
        throw new IllegalStateException("Quire kept every page in RAM (" + m + "): this is not a larger-than-RAM run");
      }
    }

    /** What shows the data set is larger than the RAM tier: tiers, bytes on disk, heap after a GC. */
    void report(String when) {
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      GridMetrics m = caches.quireMetrics();
      String tiers = m == null
          ? "heap tier limited to " + HEAP_ENTRIES + " entries"
          : String.format("ram pages %d (%d B of %d B budget), disk pages %d, page-outs %d, page-ins %d", m.ramPages(),
              m.ramBytes(), RAM_BYTES, m.diskPages(), m.pageOuts(), m.pageIns());
      System.out.printf("%s/%s %s: %s; on disk %d MiB; JVM heap used after GC %d MiB (values: %d MiB)%n", provider,
          durability, when, tiers, caches.bytesOnDisk() >> 20, heap >> 20, ((long) KEYS * VALUE_BYTES) >> 20);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      report("after the run");
      caches.close();
    }
  }

  /** Per-thread position in the uniform random key sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    int next() {
      return index++ & (READS - 1);
    }
  }

  @Benchmark
  public byte[] get(Data d, Cursor cursor) {
    return d.caches.cache.get(d.reads[cursor.next()]);
  }

  @Benchmark
  public int put(Data d, Cursor cursor) {
    int i = cursor.next();
    d.caches.cache.put(d.reads[i], d.putValues[i & (PUT_VALUES - 1)]);
    return i;
  }
}
