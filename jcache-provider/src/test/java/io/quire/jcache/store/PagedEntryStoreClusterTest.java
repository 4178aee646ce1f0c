package io.quire.jcache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.address.PageSize;
import io.quire.core.coherence.Topology;
import io.quire.core.page.Durability;
import io.quire.jcache.store.EntryMutation.Outcome;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same store over three cluster nodes in one JVM (threaded in-JVM transport): store instances on different nodes,
 * each with its own split cache, opened on one range, see each other's changes and lose no concurrent change.
 */
class PagedEntryStoreClusterTest {
  private static final PageSize PAGE = new PageSize(512);
  private static final int NODES = 3;

  @TempDir
  Path dir;

  private LocalNetwork network;
  private final List<ClusterNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    network = LocalNetwork.threaded();
    for (int i = 0; i < NODES; i++) {
      GridConfig config = GridConfig.defaults(dir.resolve("node-" + i)).withPageSize(PAGE)
          .withRamBudgetBytes(4L << 20);
      NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
      LocalTransport transport = network.transport(id);
      nodes.add(ClusterNode.open(config, transport, transport.runtime(), 2, Topology.FLAT));
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    network.close();
  }

  private static byte[] key(String name) {
    return name.getBytes(UTF_8);
  }

  @Test
  void entriesPutOnOneNode_areSeenOnTheOthers_throughSplitsAndOutOfLineValues() {
    PagedEntryStore first = PagedEntryStore.create(nodes.get(0).memory(), PAGE, Durability.VOLATILE);
    PagedEntryStore second = PagedEntryStore.open(nodes.get(1).memory(), PAGE, first.rangeStart());
    PagedEntryStore third = PagedEntryStore.open(nodes.get(2).memory(), PAGE, first.rangeStart());

    PagedEntryStoreTest.put(first, key("hello"), key("world"));
    assertThat(second.get(key("hello")).value()).isEqualTo(key("world"));

    // Enough to split buckets that `third` has already read as leaves, and to put values out of line.
    assertThat(third.get(key("hello")).value()).isEqualTo(key("world"));
    for (int i = 0; i < 80; i++) {
      PagedEntryStoreTest.put(second, key("key-" + i), PagedEntryStoreTest.filled(i % 8 == 0 ? 700 : i, i));
    }
    for (int i = 0; i < 80; i++) {
      assertThat(third.get(key("key-" + i)).value()).as("key-" + i)
          .isEqualTo(PagedEntryStoreTest.filled(i % 8 == 0 ? 700 : i, i));
    }
    PagedEntryStoreTest.remove(third, key("hello"));
    assertThat(first.get(key("hello"))).isNull();
  }

  @Test
  void computesFromTwoNodes_loseNothing() throws Exception {
    PagedEntryStore first = PagedEntryStore.create(nodes.get(0).memory(), PAGE, Durability.VOLATILE);
    PagedEntryStore[] stores = {first, PagedEntryStore.open(nodes.get(1).memory(), PAGE, first.rangeStart())};
    int threadsPerNode = 2;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerNode);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerNode; t++) {
        PagedEntryStore store = stores[t % 2];
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            store.compute(key("counter"), current -> {
              long count = current == null ? 0 : ByteBuffer.wrap(current.value()).getLong();
              return new Outcome<>(new Change.Put(ByteBuffer.allocate(8).putLong(count + 1).array(),
                  StoredEntry.NEVER), null);
            });
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (PagedEntryStore store : stores) {
      assertThat(ByteBuffer.wrap(store.get(key("counter")).value()).getLong())
          .isEqualTo(2L * threadsPerNode * perThread);
    }
  }

  @Test
  void putsFromTwoNodesAtOnce_splitTheSameBuckets_andLoseNoEntry() throws Exception {
    PagedEntryStore first = PagedEntryStore.create(nodes.get(0).memory(), PAGE, Durability.VOLATILE);
    PagedEntryStore[] stores = {first, PagedEntryStore.open(nodes.get(1).memory(), PAGE, first.rangeStart())};
    int perNode = 60;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < 2; n++) {
        PagedEntryStore store = stores[n];
        int node = n;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perNode; i++) {
            PagedEntryStoreTest.put(store, key(node + "-" + i), PagedEntryStoreTest.filled(i % 50, i));
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    PagedEntryStore third = PagedEntryStore.open(nodes.get(2).memory(), PAGE, first.rangeStart());
    int[] walked = {0};
    third.iterator().forEachRemaining(entry -> walked[0]++);
    assertThat(walked[0]).isEqualTo(2 * perNode);
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < perNode; i++) {
        assertThat(third.get(key(n + "-" + i)).value()).isEqualTo(PagedEntryStoreTest.filled(i % 50, i));
      }
    }
  }

  /**
   * On a cluster only the allocating node can free a range (ClusterMemory), so an overwrite elsewhere must not fail
   * after its change is made: it leaves the old range allocated and counts it. See cache-pages.md, "Freeing on a
   * cluster".
   */
  @Test
  void overwriteOnAnotherNode_ofAValueAllocatedElsewhere_succeeds_andCountsTheRangeItCouldNotFree() {
    PagedEntryStore first = PagedEntryStore.create(nodes.get(0).memory(), PAGE, Durability.VOLATILE);
    PagedEntryStore second = PagedEntryStore.open(nodes.get(1).memory(), PAGE, first.rangeStart());
    PagedEntryStoreTest.put(first, key("k"), PagedEntryStoreTest.filled(2000, 1));
    Ref old = first.outOfLineRanges().get(0);

    PagedEntryStoreTest.put(second, key("k"), PagedEntryStoreTest.filled(2000, 2));
    PagedEntryStoreTest.put(first, key("k"), PagedEntryStoreTest.filled(2000, 3));

    assertThat(first.get(key("k")).value()).isEqualTo(PagedEntryStoreTest.filled(2000, 3));
    assertThat(second.unfreedRanges()).isEqualTo(1);
    assertThat(first.unfreedRanges()).isEqualTo(1);
    assertThat(nodes.get(2).memory().read(old.start()).length()).as("still allocated").isPositive();
  }
}
