package io.quire.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.jcache.config.DescriptorParser;
import io.quire.jcache.config.NodeDescriptor;
import io.quire.spi.transport.Transport;
import io.quire.spi.transport.TransportFactory;
import io.quire.spi.transport.TransportSettings;
import io.quire.transport.local.LocalNetwork;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@code transport="jgroups"} descriptor hands the transport it names. */
class ClusterGridSettingsTest {
  @TempDir
  Path dir;

  @Test
  void theDescriptorsGroup_reachesTheTransport_soThatPeersLearnIt() {
    String xml = """
        <quire xmlns="urn:io.quire:cache:1.0">
          <node data-directory="%s" transport="jgroups" cluster="orders" port="7800" group="site-b/rack-2"/>
        </quire>
        """.formatted(dir.resolve("n1"));
    NodeDescriptor node = new DescriptorParser()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "grid.xml").node();
    List<TransportSettings> seen = new ArrayList<>();
    try (LocalNetwork network = LocalNetwork.threaded()) {
      TransportFactory recording = new TransportFactory() {
        @Override
        public String name() {
          return "recording";
        }

        @Override
        public Transport create(NodeId id, TransportSettings settings, GridRuntime runtime) {
          seen.add(settings);
          return network.transport(id);
        }
      };
      try (ClusterGrid grid = ClusterGrid.open(node, recording)) {
        assertThat(grid.singleNode()).isFalse();
      }
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).group()).isEqualTo("site-b/rack-2");
    assertThat(seen.get(0).clusterName()).isEqualTo("orders");
    assertThat(seen.get(0).port()).isEqualTo(7800);
  }
}
