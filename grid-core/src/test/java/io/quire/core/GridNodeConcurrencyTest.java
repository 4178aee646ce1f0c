package io.quire.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.AddressRange;
import io.quire.core.memory.Memory;
import io.quire.core.page.Durability;
import io.quire.store.ram.CaffeinePageStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real threads doing read-modify-writes on a few shared pages while paging goes on: no update is lost. */
class GridNodeConcurrencyTest {
  private static final int THREADS = 4;
  private static final int PAGES = 3;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}, {1} increments per thread")
  @CsvSource({"VOLATILE, 2000", "PERSISTENT, 60"})
  void concurrentUpdates_onSharedPages_loseNoIncrement(Durability durability, int perThread) throws Exception {
    // A budget of two pages for three hot pages: updates race with evictions and page-ins too.
    long budget = 2L * (4096 + CaffeinePageStore.ENTRY_OVERHEAD_BYTES);
    try (GridNode node = GridNode.open(GridConfig.defaults(dir).withRamBudgetBytes(budget))) {
      Memory memory = node.memory();
      AddressRange range = memory.allocate(PAGES, durability);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
              memory.update(range.page((thread + i) % PAGES), current -> {
                ByteBuffer counter = ByteBuffer.wrap(current);
                counter.putLong(0, counter.getLong(0) + 1);
                return current;
              });
              memory.read(range.page(i % PAGES));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      long total = 0;
      for (int p = 0; p < PAGES; p++) {
        total += ByteBuffer.wrap(memory.read(range.page(p)).toByteArray(8)).getLong();
      }
      assertThat(total).isEqualTo((long) THREADS * perThread);
    }
  }
}
