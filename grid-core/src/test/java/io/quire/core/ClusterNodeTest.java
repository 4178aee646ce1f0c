package io.quire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressRange;
import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.Topology;
import io.quire.core.memory.Memory;
import io.quire.core.memory.UnallocatedAddressException;
import io.quire.core.page.Durability;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

/** Three cluster nodes in one JVM over the threaded in-JVM transport, each with its own data directory. */
class ClusterNodeTest {
  private static final int NODES = 3;

  @TempDir
  Path dir;

  private LocalNetwork network;
  private final List<ClusterNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() {
    network = LocalNetwork.threaded();
    for (int i = 0; i < NODES; i++) {
      nodes.add(open(i));
    }
  }

  private ClusterNode open(int i) {
    GridConfig config = GridConfig.defaults(dir.resolve("node-" + i)).withRamBudgetBytes(4L << 20);
    NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
    LocalTransport transport = network.transport(id);
    return ClusterNode.open(config, transport, transport.runtime(), 2, Topology.FLAT);
  }

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    network.close();
  }

  private Memory memory(int i) {
    return nodes.get(i).memory();
  }

  @Test
  void pageAllocatedOnOneNode_isWrittenOnAnotherAndReadOnAThird() {
    for (Durability durability : Durability.values()) {
      AddressRange range = memory(0).allocate(2, durability);
      assertThat(range.start().hi()).as("the allocating node's region").isEqualTo(nodes.get(0).id().value());
      memory(1).write(range.page(1).plus(10), "hello".getBytes(StandardCharsets.UTF_8));
      byte[] read = memory(2).read(range.page(1)).toByteArray();
      assertThat(new String(read, 10, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(memory(0).read(range.page(1)).isVolatile()).isEqualTo(durability == Durability.VOLATILE);
      assertThat(memory(2).read(range.page(0)).version()).isZero();
    }
  }

  @Test
  void firstTouchOfAPage_costsOneRoundTripAndNoDirectoryPage() {
    AddressRange range = memory(0).allocate(1, Durability.VOLATILE);
    memory(0).write(range.start(), new byte[] {1});
    for (int i = 0; i < NODES; i++) {
      // Every node has finished joining once an operation of its own completed.
      memory(i).read(memory(i).allocate(1, Durability.VOLATILE).start());
    }
    long before = coherenceMessages();
    assertThat(memory(1).read(range.start()).byteAt(0)).isEqualTo((byte) 1);
    // A request to the page's responsible node (named by the address) and its grant: nothing else.
    assertThat(coherenceMessages() - before).isEqualTo(2);
  }

  @Test
  void holdings_countOwnedPagesAndBackupCopies_acrossTheCluster() throws Exception {
    AddressRange range = memory(0).allocate(4, Durability.PERSISTENT);
    for (int p = 0; p < 4; p++) {
      memory(0).write(range.page(p), new byte[] {(byte) p});
    }
    int owned = 0;
    int replicas = 0;
    for (ClusterNode node : nodes) {
      var holdings = node.engine().holdings().get(10, TimeUnit.SECONDS);
      assertThat(holdings.members()).isEqualTo(NODES);
      owned += holdings.ownedPages();
      replicas += holdings.replicaPages();
    }
    // Every page written has one owner and k - 1 = 1 backup copy; a write returns once its replica acknowledged it.
    assertThat(owned).isEqualTo(4);
    assertThat(replicas).isEqualTo(4);
  }

  /** Page traffic sent by every node so far: not the periodic resource reports, nor membership changes. */
  private long coherenceMessages() {
    long total = 0;
    for (ClusterNode node : nodes) {
      for (var entry : node.engine().stats().snapshot().entrySet()) {
        if (entry.getKey() != io.quire.core.message.MessageType.RESOURCE_REPORT
            && !entry.getKey().name().startsWith("RECONFIGURE")) {
          total += entry.getValue();
        }
      }
    }
    return total;
  }

  @Test
  void incrementsFromEveryNodeAndSeveralThreads_loseNothing() throws Exception {
    GlobalAddress counter = memory(1).allocate(1, Durability.VOLATILE).start();
    int threadsPerNode = 2;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(NODES * threadsPerNode);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < NODES * threadsPerNode; t++) {
        Memory memory = memory(t % NODES);
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            memory.update(counter, bytes -> {
              ByteBuffer.wrap(bytes).putLong(0, ByteBuffer.wrap(bytes).getLong(0) + 1);
              return bytes;
            });
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
    for (int i = 0; i < NODES; i++) {
      assertThat(ByteBuffer.wrap(memory(i).read(counter).toByteArray(8)).getLong())
          .isEqualTo((long) NODES * threadsPerNode * perThread);
    }
  }

  @Test
  void freedRange_isRefusedOnEveryNode() {
    AddressRange range = memory(0).allocate(1, Durability.PERSISTENT);
    memory(1).write(range.start(), new byte[] {7});
    memory(2).read(range.start());
    memory(0).free(range.start());
    for (int i = 0; i < NODES; i++) {
      int node = i;
      assertThatThrownBy(() -> memory(node).read(range.start())).isInstanceOf(UnallocatedAddressException.class);
    }
    GlobalAddress neverAllocated = range.end().plus(4096 * 100);
    assertThatThrownBy(() -> memory(2).write(neverAllocated, new byte[1]))
        .isInstanceOf(UnallocatedAddressException.class);
    assertThatThrownBy(() -> memory(1).free(range.start())).isInstanceOf(UnallocatedAddressException.class);
  }

  @Test
  void allocatingNodeGone_itsPagesStayReadableAndWritableOnTheOthers() {
    AddressRange range = memory(0).allocate(2, Durability.PERSISTENT);
    memory(1).write(range.page(0), new byte[] {11});
    memory(2).write(range.page(1), new byte[] {22});
    memory(0).write(range.page(1), new byte[] {23});
    nodes.get(0).close();
    assertThat(memory(2).read(range.page(0)).byteAt(0)).isEqualTo((byte) 11);
    assertThat(memory(1).read(range.page(1)).byteAt(0)).isEqualTo((byte) 23);
    memory(1).write(range.page(0), new byte[] {12});
    assertThat(memory(2).read(range.page(0)).byteAt(0)).isEqualTo((byte) 12);
  }

  @Test
  void nodeRestart_fromItsDataDirectory_keepsEveryPage() {
    AddressRange range = memory(0).allocate(3, Durability.PERSISTENT);
    for (int p = 0; p < 3; p++) {
      memory(p).write(range.page(p), ("page " + p).getBytes(StandardCharsets.UTF_8));
    }
    nodes.get(1).close();
    nodes.set(1, open(1));
    for (int p = 0; p < 3; p++) {
      for (int n = 0; n < NODES; n++) {
        assertThat(new String(memory(n).read(range.page(p)).toByteArray(), StandardCharsets.UTF_8).trim())
            .as("page %d read on node %d after node 1 restarted", p, n).isEqualTo("page " + p);
      }
    }
  }
}
