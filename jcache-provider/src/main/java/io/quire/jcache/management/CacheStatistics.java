package io.quire.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JCache statistics of one cache on this node. Counting is skipped entirely while statistics are disabled, so a
 * cache pays for them only when asked. Times are kept in nanoseconds and reported in microseconds, as JCache says.
 *
 * <p>Concurrency: every counter is a {@link LongAdder}; {@link #clear()} races with counting as JCache allows.
 */
public final class CacheStatistics implements CacheStatisticsMXBean {
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private volatile boolean enabled;

  /** Turns counting on or off; the counts are kept either way. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether operations should count. */
  public boolean isEnabled() {
    return enabled;
  }

  public void hits(long n) {
    if (enabled) {
      hits.add(n);
    }
  }

  public void misses(long n) {
    if (enabled) {
      misses.add(n);
    }
  }

  public void puts(long n) {
    if (enabled) {
      puts.add(n);
    }
  }

  public void removals(long n) {
    if (enabled) {
      removals.add(n);
    }
  }

  public void evictions(long n) {
    if (enabled) {
      evictions.add(n);
    }
  }

  /** Adds the time of a get-like operation that started at {@code startNanos} of {@link System#nanoTime()}. */
  public void getTime(long startNanos) {
    if (enabled) {
      getNanos.add(System.nanoTime() - startNanos);
    }
  }

  public void putTime(long startNanos) {
    if (enabled) {
      putNanos.add(System.nanoTime() - startNanos);
    }
  }

  public void removeTime(long startNanos) {
    if (enabled) {
      removeNanos.add(System.nanoTime() - startNanos);
    }
  }

  @Override
  public void clear() {
    for (LongAdder a : new LongAdder[] {hits, misses, puts, removals, evictions, getNanos, putNanos, removeNanos}) {
      a.reset();
    }
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long h = hits.sum();
    long total = h + misses.sum();
    return total == 0 ? 0f : (float) h * 100f / total;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long m = misses.sum();
    long total = m + hits.sum();
    return total == 0 ? 0f : (float) m * 100f / total;
  }

  @Override
  public long getCacheGets() {
    return hits.sum() + misses.sum();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return average(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return average(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return average(removeNanos.sum(), getCacheRemovals());
  }

  private static float average(long nanos, long count) {
    return count == 0 ? 0f : (float) nanos / count / 1000f;
  }
}
