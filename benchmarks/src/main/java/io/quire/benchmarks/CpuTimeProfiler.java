package io.quire.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The CPU time the benchmark JVM spent per operation in each iteration ({@value #LABEL}, ns/op): process CPU time
 * (all threads: the benchmark threads, GC, the JIT, the providers' own maintenance threads) over the iteration,
 * divided by the operations it counted, the normalisation of JMH's own {@code gc.alloc.rate.norm}.
 *
 * <p>On a machine shared with other work, wall-clock ns/op grows with every runnable thread that is not ours, and
 * results measured minutes apart see different loads; CPU time per operation is far less sensitive to that, so it
 * cross-checks ratios of wall-clock scores. It says nothing about waiting (a parked thread costs no CPU): compare it
 * with the primary score, never instead of it. Enable with {@code -prof io.quire.benchmarks.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  static final String LABEL = "cpu.time.norm";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startCpuNanos;

  @Override
  public String getDescription() {
    return "Process CPU time per operation (all threads of the benchmark JVM)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startCpuNanos = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long cpu = os.getProcessCpuTime() - startCpuNanos;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : (double) cpu / ops;
    return List.of(new ScalarResult(LABEL, perOp, "ns/op", AggregationPolicy.AVG));
  }
}
