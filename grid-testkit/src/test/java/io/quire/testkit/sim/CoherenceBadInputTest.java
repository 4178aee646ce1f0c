package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.address.PageSize;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.message.CoherenceMessage;
import io.quire.core.message.MessageCodec;
import io.quire.transport.local.FaultPlan;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Frames that are garbage, truncated, or from a node outside the view are dropped; the node keeps serving. */
class CoherenceBadInputTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final Logger ENGINE_LOG = Logger.getLogger("io.quire.core.coherence.CoherenceEngine");
  private SimCluster cluster;
  private Level level;

  @BeforeEach
  void quiet() {
    level = ENGINE_LOG.getLevel();
    ENGINE_LOG.setLevel(Level.OFF);
    cluster = SimCluster.of(3, 1, 2, 3, FaultPlan.none(), CoherenceSettings.DEFAULTS.withoutResourceReports());
  }

  @AfterEach
  void close() {
    cluster.close();
    ENGINE_LOG.setLevel(level);
  }

  @Test
  void garbageFramesFromAMember_areDroppedAndTheNodeKeepsServing() {
    GlobalAddress page = cluster.page(0);
    cluster.await(cluster.write(0, page, 5), LIMIT);
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      byte[] garbage = new byte[random.nextInt(120)];
      random.nextBytes(garbage);
      if (garbage.length > 1) {
        garbage[0] = MessageCodec.FORMAT_V1;
      }
      assertThatCode(() -> cluster.engine(0).onMessage(cluster.node(1), ByteBuffer.wrap(garbage)))
          .doesNotThrowAnyException();
    }
    cluster.simulation().runUntilQuiescent(LIMIT);
    assertThat(cluster.await(cluster.read(2, page), LIMIT)).isEqualTo(5);
    cluster.await(cluster.write(1, page, 6), LIMIT);
    assertThat(cluster.await(cluster.read(0, page), LIMIT)).isEqualTo(6);
  }

  @Test
  void truncatedFrame_isDropped() {
    GlobalAddress page = cluster.page(0);
    ByteBuffer frame = new MessageCodec(new PageSize(512)).encode(
        new CoherenceMessage.Invalidate(page, 99, cluster.node(1)));
    frame.limit(frame.limit() - 3);
    cluster.await(cluster.read(2, page), LIMIT);
    cluster.engine(2).onMessage(cluster.node(1), frame);
    cluster.simulation().runUntilQuiescent(LIMIT);
    assertThat(cluster.engine(2).readLocal(page)).as("the copy survives a frame that did not decode").isNotNull();
  }

  @Test
  void invalidationFromANodeOutsideTheView_isIgnored() {
    GlobalAddress page = cluster.page(0);
    cluster.await(cluster.read(2, page), LIMIT);
    NodeId stranger = new NodeId(999);
    ByteBuffer frame = new MessageCodec(new PageSize(512)).encode(new CoherenceMessage.Invalidate(page, 99, stranger));
    cluster.engine(2).onMessage(stranger, frame);
    cluster.simulation().runUntilQuiescent(LIMIT);
    assertThat(cluster.engine(2).readLocal(page)).as("a stranger cannot drop a valid copy").isNotNull();
    assertThat(cluster.await(cluster.read(2, page), LIMIT)).isZero();
  }
}
