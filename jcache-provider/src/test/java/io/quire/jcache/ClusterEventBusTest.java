package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.jcache.EventBus.EncodedEvent;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.event.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who hears whose events on a cluster's network event bus, whichever node opened its bus first. */
class ClusterEventBusTest {
  private static final EncodedEvent CREATED = new EncodedEvent(EventType.CREATED,
      "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8), null);

  @TempDir
  Path dir;

  private LocalNetwork network;
  private final List<ClusterNode> nodes = new ArrayList<>();

  @BeforeEach
  void start() throws InterruptedException {
    network = LocalNetwork.threaded();
    for (String name : List.of("a", "b")) {
      GridConfig config = GridConfig.defaults(dir.resolve(name)).withRamBudgetBytes(1L << 20);
      NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
      LocalTransport transport = network.transport(id);
      nodes.add(ClusterNode.open(config, transport, transport.runtime(), 2));
    }
    for (ClusterNode node : nodes) {
      for (int i = 0; i < 2_000 && node.messages().view().size() < 2; i++) {
        Thread.sleep(5);
      }
      assertThat(node.messages().view().size()).as("both nodes in %s's view", node.id()).isEqualTo(2);
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    network.close();
  }

  @Test
  void aBusOpenedAfterAnotherNodesListenerRegistered_sendsItsFirstEventsThere() throws InterruptedException {
    List<EncodedEvent> heard = new CopyOnWriteArrayList<>();
    try (ClusterEventBus onA = new ClusterEventBus(nodes.get(0).messages())) {
      // B's bus is not open yet (its cache manager starts later): nobody on B takes this announcement.
      onA.subscribe("orders", "listener on a", heard::addAll);
      try (ClusterEventBus onB = new ClusterEventBus(nodes.get(1).messages())) {
        assertThat(onB.hasRemoteSubscribers("orders", "cache on b")).isTrue();

        onB.publish("orders", "cache on b", List.of(CREATED));

        for (int i = 0; i < 2_000 && heard.isEmpty(); i++) {
          Thread.sleep(5);
        }
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).type()).isEqualTo(EventType.CREATED);
        assertThat(heard.get(0).key()).isEqualTo(CREATED.key());
        assertThat(heard.get(0).value()).isEqualTo(CREATED.value());
      }
    }
  }

  @Test
  void aLateInterestMessage_neverUndoesANewerOne() throws Exception {
    try (ClusterEventBus onA = new ClusterEventBus(nodes.get(0).messages());
        ClusterEventBus onB = new ClusterEventBus(nodes.get(1).messages())) {
      onA.subscribe("orders", "listener on a", events -> {});
      assertThat(onB.hasRemoteSubscribers("orders", "cache on b")).isTrue();

      // An announcement from A stamped before its listener registered arrives late (as a request, so that it has
      // been handled when the answer comes back).
      byte[] stale = ClusterEventBus.encodeInterest(new ClusterEventBus.Interest(1, Set.of()));
      nodes.get(0).messages().request(nodes.get(1).id(), ClusterEventBus.INTEREST, stale, Duration.ofSeconds(10))
          .get(20, TimeUnit.SECONDS);

      assertThat(onB.hasRemoteSubscribers("orders", "cache on b")).isTrue();
    }
  }
}
