package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.GridConfig;
import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster's cache catalog in pages, used from the three nodes of an in-JVM cluster at once. */
class PageCacheCatalogTest {
  private static final int NODES = 3;

  private InJvmClusterGrid cluster;
  private final List<CacheCatalog> catalogs = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = InJvmClusterGrid.open(NODES, GridConfig.defaults(Path.of(".")).withRamBudgetBytes(8L << 20));
    for (int i = 0; i < NODES; i++) {
      catalogs.add(cluster.view(i).catalog());
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static CatalogEntry entry(String name, int node) {
    return new CatalogEntry(name, new GlobalAddress(100 + node, 4096L * name.hashCode() & 0xFFFF000L),
        "java.lang.String", "java.lang.Integer", Durability.VOLATILE);
  }

  @Test
  void recordIfAbsentFromEveryNodeAtOnce_hasOneWinnerPerName_thatEveryNodeReturnsAndFinds() throws Exception {
    int names = 40;
    CyclicBarrier start = new CyclicBarrier(NODES);
    ExecutorService pool = Executors.newFixedThreadPool(NODES);
    List<Future<List<CatalogEntry>>> results = new ArrayList<>();
    try {
      for (int i = 0; i < NODES; i++) {
        int node = i;
        results.add(pool.submit(() -> {
          start.await(20, TimeUnit.SECONDS);
          List<CatalogEntry> winners = new ArrayList<>();
          for (int n = 0; n < names; n++) {
            winners.add(catalogs.get(node).recordIfAbsent(entry("cache-" + n, node)));
          }
          return winners;
        }));
      }
      List<List<CatalogEntry>> seen = new ArrayList<>();
      for (Future<List<CatalogEntry>> result : results) {
        seen.add(result.get(120, TimeUnit.SECONDS));
      }
      for (int n = 0; n < names; n++) {
        CatalogEntry winner = seen.get(0).get(n);
        for (int i = 0; i < NODES; i++) {
          assertThat(seen.get(i).get(n)).as("winner of cache-%d as node %d saw it", n, i).isEqualTo(winner);
          assertThat(catalogs.get(i).find("cache-" + n)).as("cache-%d found on node %d", n, i).contains(winner);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < NODES; i++) {
      assertThat(catalogs.get(i).names()).hasSize(names);
    }
  }

  @Test
  void forget_removesTheNameOnlyWhileItStillNamesTheGivenRange() {
    CatalogEntry first = catalogs.get(0).recordIfAbsent(entry("orders", 0));
    catalogs.get(1).forget("orders", new GlobalAddress(999, 0));
    assertThat(catalogs.get(2).find("orders")).contains(first);
    catalogs.get(1).forget("orders", first.rangeStart());
    assertThat(catalogs.get(2).find("orders")).isEqualTo(Optional.empty());
    assertThat(catalogs.get(0).recordIfAbsent(entry("orders", 2))).isEqualTo(entry("orders", 2));
  }
}
