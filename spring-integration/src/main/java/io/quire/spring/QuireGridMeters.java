package io.quire.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quire.jcache.GridMetrics;
import io.quire.jcache.QuireCacheManager;
import java.util.function.ToDoubleFunction;
import javax.cache.CacheManager;

/**
 * The grid node's figures as meters: {@code quire.grid.pages} (gauge, tag {@code tier} = ram or disk),
 * {@code quire.grid.ram.bytes}, {@code quire.grid.members} (gauges), and the counters {@code quire.grid.page.ins},
 * {@code quire.grid.page.outs}, {@code quire.grid.read.misses}, {@code quire.grid.invalidations},
 * {@code quire.grid.migrations}, {@code quire.grid.messages.sent}. A closed manager reads as NaN.
 */
public class QuireGridMeters implements MeterBinder {
  private final QuireCacheManager manager;

  /** @param manager the application's JCache manager; binds nothing unless it is Quire's */
  public QuireGridMeters(CacheManager manager) {
    this.manager = manager instanceof QuireCacheManager quire ? quire : null;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (manager == null) {
      return;
    }
    gauge(registry, "quire.grid.pages", "ram", GridMetrics::ramPages);
    gauge(registry, "quire.grid.pages", "disk", GridMetrics::diskPages);
    Gauge.builder("quire.grid.ram.bytes", this, m -> m.read(GridMetrics::ramBytes)).baseUnit("bytes")
        .description("bytes the RAM tier holds").register(registry);
    Gauge.builder("quire.grid.members", this, m -> m.read(GridMetrics::members))
        .description("members of the node's view").register(registry);
    counter(registry, "quire.grid.page.ins", "pages read back from disk into RAM", GridMetrics::pageIns);
    counter(registry, "quire.grid.page.outs", "pages written out of RAM to make room", GridMetrics::pageOuts);
    counter(registry, "quire.grid.read.misses", "pages requested from other nodes", GridMetrics::readMisses);
    counter(registry, "quire.grid.invalidations", "read copies invalidated by writes", GridMetrics::invalidations);
    counter(registry, "quire.grid.migrations", "page ownership moves to a writer", GridMetrics::migrations);
    counter(registry, "quire.grid.messages.sent", "coherence messages sent", GridMetrics::messagesSent);
  }

  private void gauge(MeterRegistry registry, String name, String tier, ToDoubleFunction<GridMetrics> figure) {
    Gauge.builder(name, this, m -> m.read(figure)).tag("tier", tier).description("pages held per tier")
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description,
      ToDoubleFunction<GridMetrics> figure) {
    FunctionCounter.builder(name, this, m -> m.read(figure)).description(description).register(registry);
  }

  private double read(ToDoubleFunction<GridMetrics> figure) {
    if (manager.isClosed()) {
      return Double.NaN;
    }
    return figure.applyAsDouble(manager.gridMetrics());
  }
}
