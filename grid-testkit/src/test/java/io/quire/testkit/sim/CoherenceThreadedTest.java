package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.coherence.CoherenceEngine;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.coherence.OperationRegistry;
import io.quire.core.coherence.Responsibility;
import io.quire.core.message.Bytes;
import io.quire.core.message.MessageCodec;
import io.quire.core.message.PageOp;
import io.quire.core.page.Page;
import io.quire.store.Pager;
import io.quire.testkit.store.InMemoryPageStore;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three engines over the threaded in-JVM transport, each on its own serial mailbox thread, with client threads
 * calling them concurrently (local hits on the client threads, the rest through the mailbox): the production
 * threading, where the simulation runs everything on one thread.
 */
class CoherenceThreadedTest {
  private static final PageSize PAGE_SIZE = new PageSize(512);
  private static final int NODES = 3;
  private static final GlobalAddress PAGE = new GlobalAddress(1, 0);

  private LocalNetwork network;
  private final List<CoherenceEngine> engines = new ArrayList<>();
  private final List<ExecutorService> mailboxes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    network = LocalNetwork.threaded();
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      ids.add(new NodeId(i + 1));
    }
    Responsibility responsibility = new Responsibility() {
      @Override
      public NodeId responsibleFor(GlobalAddress page) {
        return ids.get(0);
      }

      @Override
      public List<NodeId> replicasFor(GlobalAddress page) {
        return List.of(ids.get(1));
      }

      @Override
      public boolean isVolatile(GlobalAddress page) {
        return true;
      }
    };
    for (int i = 0; i < NODES; i++) {
      ExecutorService mailbox = Executors.newSingleThreadExecutor();
      mailboxes.add(mailbox);
      LocalTransport transport = network.transport(ids.get(i));
      engines.add(new CoherenceEngine(ids.get(i), transport, new MessageCodec(PAGE_SIZE), transport.runtime(),
          mailbox, new Pager(1 << 20, new InMemoryPageStore()), new InMemoryPageStore(), responsibility,
          OperationRegistry.of(new CasOperation()), new SplittableRandom(i),
          new CoherenceSettings(Duration.ofMillis(20), 3, 2, Duration.ZERO)));
    }
    engines.forEach(CoherenceEngine::start);
    // Wait until every node has finished its reconfiguration for the full view: a write then succeeds everywhere.
    for (CoherenceEngine engine : engines) {
      engine.write(PAGE, new PageOp.WriteBytes(0, Bytes.copyOf(new byte[8]))).get(30, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stop() {
    engines.forEach(CoherenceEngine::close);
    mailboxes.forEach(ExecutorService::shutdownNow);
    network.close();
  }

  @Test
  void incrementsAndCasFromClientThreadsOnEveryNode_loseNothing() throws Exception {
    int threadsPerNode = 2;
    int perThread = 100;
    ExecutorService clients = Executors.newFixedThreadPool(NODES * threadsPerNode);
    CyclicBarrier go = new CyclicBarrier(NODES * threadsPerNode);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < NODES * threadsPerNode; t++) {
        CoherenceEngine engine = engines.get(t % NODES);
        done.add(clients.submit(() -> {
          go.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < perThread; i++) {
            if (i % 2 == 0) {
              engine.update(PAGE, bytes -> {
                ByteBuffer.wrap(bytes).putLong(0, ByteBuffer.wrap(bytes).getLong(0) + 1);
                return bytes;
              }).get(30, TimeUnit.SECONDS);
            } else {
              // Increment by compare-and-set, shipped to the owner, retried until it wins.
              while (true) {
                Page local = engine.readLocal(PAGE);
                Page seen = local != null ? local : engine.read(PAGE).get(30, TimeUnit.SECONDS);
                long value = SimCluster.value(seen);
                var result = engine.write(PAGE, new PageOp.Registered(CasOperation.ID,
                    Bytes.copyOf(CasOperation.arguments(value, value + 1)))).get(30, TimeUnit.SECONDS);
                if (result.result().toByteArray()[0] == 1) {
                  break;
                }
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    long expected = (long) NODES * threadsPerNode * perThread;
    for (CoherenceEngine engine : engines) {
      assertThat(SimCluster.value(engine.read(PAGE).get(30, TimeUnit.SECONDS))).isEqualTo(expected);
    }
  }
}
