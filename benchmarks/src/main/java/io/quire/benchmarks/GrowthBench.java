package io.quire.benchmarks;

import io.quire.jcache.GridMetrics;
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
 * Get and put as a cache grows: {@code entries} = 10^3, 10^5 or 10^6 {@code Long} keys with
 * {@value #VALUE_BYTES}-byte values, all on the heap (Quire's RAM budget, {@value #QUIRE_RAM_BUDGET}, holds every
 * page: no page-outs, checked), uniform random keys, through {@code javax.cache}, for Quire, Ehcache 3 (heap),
 * Caffeine's JCache adapter and an embedded Hazelcast member. run.sh prints get at 10^6 over get at 10^3 per
 * provider (Quire's target: within 1.5x).
 *
 * <p>The preload goes through {@code putAll} in batches of 1000 and its time is printed; every 100th key is read back
 * before measuring, so a provider that evicted part of the data fails the trial instead of measuring misses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class GrowthBench {
  static final int VALUE_BYTES = 100;
  static final String QUIRE_RAM_BUDGET = "1GiB";
  /** Random keys per trial: 2^20, so even at 10^6 entries the reads do not stay in a small subset. */
  static final int READS = 1 << 20;
  static final int PUT_VALUES = 16;

  @State(Scope.Benchmark)
  public static class Data {
    @Param({"quire", "ehcache", "caffeine", "hazelcast"})
    String provider;

    @Param({"1000", "100000", "1000000"})
    int entries;

    ScaleCaches caches;
    Long[] reads;
    byte[][] putValues;

    @Setup(Level.Trial)
    public void setUp() {
      caches = ScaleCaches.onHeap(provider, QUIRE_RAM_BUDGET);
      long ms = caches.preload(entries, i -> ScaleCaches.value(VALUE_BYTES, i));
      caches.check(entries, 100, i -> ScaleCaches.value(VALUE_BYTES, i));
      reads = ScaleCaches.uniformKeys(entries, READS, 42);
      putValues = new byte[PUT_VALUES][];
      for (int i = 0; i < PUT_VALUES; i++) {
        putValues[i] = ScaleCaches.value(VALUE_BYTES, entries + i);
      }
      System.out.println();
      System.out.printf("%s: preloaded %d entries in %d ms (putAll, batches of 1000)%n", provider, entries, ms);
      GridMetrics m = caches.quireMetrics();
      if (m != null) {
        System.out.println("quire node: " + m);
        if (m.pageOuts() > 0) {
          throw new IllegalStateException("Quire paged out at " + entries + " entries: raise QUIRE_RAM_BUDGET");
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
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
