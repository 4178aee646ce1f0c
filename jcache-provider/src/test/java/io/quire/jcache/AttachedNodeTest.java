package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.ClusterNode;
import io.quire.core.GridConfig;
import io.quire.core.NodeDataDirectory;
import io.quire.core.NodeId;
import io.quire.core.coherence.Topology;
import io.quire.transport.local.LocalNetwork;
import io.quire.transport.local.LocalTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node run by its own launcher ({@code quire node}) and attached to the provider: managers whose descriptor
 * names its data directory use that node, share caches with the other nodes, and never close it.
 */
class AttachedNodeTest {
  @TempDir
  Path dir;

  private final LocalNetwork network = LocalNetwork.threaded();
  private final List<ClusterNode> nodes = new ArrayList<>();
  private final QuireCachingProvider provider = new QuireCachingProvider();

  @AfterEach
  void close() {
    provider.close();
    nodes.forEach(ClusterNode::close);
    network.close();
  }

  private ClusterNode node(String name) {
    GridConfig config = GridConfig.defaults(dir.resolve(name));
    NodeId id = NodeDataDirectory.open(config.dataDirectory(), config.pageSize()).nodeId();
    LocalTransport transport = network.transport(id);
    ClusterNode node = ClusterNode.open(config, transport, transport.runtime(), 2, Topology.FLAT);
    nodes.add(node);
    return node;
  }

  private URI descriptor(String name, String caches) throws Exception {
    Path file = dir.resolve(name + ".xml");
    Files.writeString(file, """
        <?xml version="1.0" encoding="UTF-8"?>
        <quire xmlns="urn:io.quire:cache:1.0">
          <node data-directory="%s"/>
          %s
        </quire>
        """.formatted(dir.resolve(name), caches));
    return file.toUri();
  }

  @Test
  void managersForAnAttachedNodesDirectory_useThatNode_andShareCachesAcrossTheCluster() throws Exception {
    ClusterNode a = node("a");
    ClusterNode b = node("b");
    AutoCloseable onA = provider.attach(a, dir.resolve("a"), GridConfig.defaults(dir).pageSize());
    AutoCloseable onB = provider.attach(b, dir.resolve("b"), GridConfig.defaults(dir).pageSize());
    String orders = "<cache name=\"orders\" key-type=\"java.lang.String\" value-type=\"java.lang.String\"/>";

    CacheManager managerA = provider.getCacheManager(descriptor("a", orders), null);
    Cache<String, String> onNodeA = managerA.getCache("orders", String.class, String.class);
    onNodeA.put("o-1", "open");
    CacheManager managerB = provider.getCacheManager(descriptor("b", ""), null);
    Cache<String, String> onNodeB = managerB.getCache("orders", String.class, String.class);

    assertThat(onNodeB).as("the cache declared on node a, found by name on node b").isNotNull();
    assertThat(onNodeB.get("o-1")).isEqualTo("open");
    assertThat(managerB.unwrap(QuireCacheManager.class).gridMetrics().members()).isEqualTo(2);

    managerA.close();
    managerB.close();
    onA.close();
    onB.close();
    // The launcher's nodes are still running: closing managers and handles left them be.
    a.memory().allocate(1, io.quire.core.page.Durability.VOLATILE);
    assertThat(a.engine().view().size()).isEqualTo(2);
  }

  @Test
  void attachingTwoNodesForOneDirectory_isRefused() {
    ClusterNode a = node("a");
    provider.attach(a, dir.resolve("a"), GridConfig.defaults(dir).pageSize());
    assertThatThrownBy(() -> provider.attach(a, dir.resolve("a").resolve("..").resolve("a"),
        GridConfig.defaults(dir).pageSize())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already runs");
  }
}
