package io.quire.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.address.AddressSpaceLayout;
import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.Topology;
import io.quire.core.message.ApplicationCodec;
import io.quire.core.message.ApplicationMessage;
import io.quire.core.message.Bytes;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application messages between cluster nodes beside the coherence protocol, and the cluster region's well-known pages,
 * on three nodes over the threaded in-JVM transport.
 */
class ClusterNodeApplicationChannelTest {
  private static final int NODES = 3;

  @TempDir
  Path dir;

  private LocalNetwork network;
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<LocalTransport> transports = new ArrayList<>();

  @BeforeEach
  void start() {
    network = LocalNetwork.threaded();
    for (int i = 0; i < NODES; i++) {
      GridConfig config = GridConfig.defaults(dir.resolve("node-" + i)).withRamBudgetBytes(4L << 20);
      NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
      LocalTransport transport = network.transport(id);
      transports.add(transport);
      nodes.add(ClusterNode.open(config, transport, transport.runtime(), 2, Topology.FLAT));
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(ClusterNode::close);
    network.close();
  }

  private ApplicationChannel channel(int i) {
    return nodes.get(i).messages();
  }

  @Test
  void aMessageSentToAnotherNode_reachesTheHandlerOfItsTopicOnly_inOrder() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    channel(1).register("greetings", (from, payload) -> {
      heard.add(from + ":" + new String(payload, StandardCharsets.UTF_8));
      return null;
    });
    channel(1).register("other", (from, payload) -> {
      heard.add("other");
      return null;
    });
    for (int i = 0; i < 20; i++) {
      channel(0).send(nodes.get(1).id(), "greetings", ("hello " + i).getBytes(StandardCharsets.UTF_8));
    }
    for (int i = 0; i < 20; i++) {
      assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(nodes.get(0).id() + ":hello " + i);
    }
    assertThat(heard).isEmpty();
  }

  @Test
  void aRequest_isAnsweredByTheHandlersReturnValue_andAMissingHandlerFailsItWithTheReason() {
    channel(2).register("echo", (from, payload) -> ("echo " + new String(payload, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8));
    byte[] reply = channel(0).request(nodes.get(2).id(), "echo", "x".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10)).join();
    assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("echo x");
    assertThatThrownBy(() -> channel(0).request(nodes.get(1).id(), "echo", new byte[0], Duration.ofSeconds(10))
        .join()).isInstanceOf(CompletionException.class).hasMessageContaining("no handler for topic 'echo'");
  }

  @Test
  void aMalformedApplicationFrame_isDropped_andTheNodeKeepsServingMessagesAndPages() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    channel(1).register("t", (from, payload) -> {
      heard.add(new String(payload, StandardCharsets.UTF_8));
      return null;
    });
    byte[] good = bytes(ApplicationCodec.encode(new ApplicationMessage("t", Bytes.copyOf(new byte[] {'a'}))));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    transports.get(0).send(nodes.get(1).id(), ByteBuffer.wrap(truncated));
    transports.get(0).send(nodes.get(1).id(), ByteBuffer.wrap(new byte[] {ApplicationCodec.FORMAT_V1}));
    channel(0).send(nodes.get(1).id(), "t", "after".getBytes(StandardCharsets.UTF_8));
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
    GlobalAddress page = new AddressSpaceLayout(io.quire.core.address.PageSize.DEFAULT).clusterPage(5);
    nodes.get(0).memory().write(page, new byte[] {7});
    assertThat(nodes.get(1).memory().read(page).toByteArray()[0]).isEqualTo((byte) 7);
  }

  @Test
  void aClusterPage_needsNoAllocation_andCompareAndSetUpdatesFromEveryNodeLoseNone() throws Exception {
    GlobalAddress counter = new AddressSpaceLayout(io.quire.core.address.PageSize.DEFAULT).clusterPage(0);
    ExecutorService pool = Executors.newFixedThreadPool(NODES);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        ClusterNode node = nodes.get(i);
        done.add(pool.submit(() -> {
          for (int n = 0; n < 50; n++) {
            node.memory().update(counter, bytes -> {
              ByteBuffer b = ByteBuffer.wrap(bytes);
              b.putInt(0, b.getInt(0) + 1);
              return bytes;
            });
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (ClusterNode node : nodes) {
      assertThat(ByteBuffer.wrap(node.memory().read(counter).toByteArray()).getInt(0)).isEqualTo(NODES * 50);
      assertThat(node.memory().read(counter).isVolatile()).as("cluster pages are persistent").isFalse();
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
