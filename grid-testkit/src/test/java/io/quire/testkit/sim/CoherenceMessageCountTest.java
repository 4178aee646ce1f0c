package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.message.MessageType;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact, machine-independent message cost of each operation on a lossless network (the README's table). Page 0's
 * responsible node, and so its first owner, is node 0; its replicas are the next k-1 nodes.
 */
class CoherenceMessageCountTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private SimCluster cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  private SimCluster cluster(int nodes, int k) {
    cluster = SimCluster.of(nodes, 1, k, 1, FaultPlan.none(), CoherenceSettings.DEFAULTS.withoutResourceReports());
    return cluster;
  }

  /** Messages of each type sent by all nodes while {@code action} runs to quiescence. */
  private Map<MessageType, Long> messagesOf(Runnable action) {
    Map<MessageType, Long> before = totals();
    action.run();
    cluster.simulation().runUntilQuiescent(LIMIT);
    Map<MessageType, Long> after = totals();
    Map<MessageType, Long> delta = new EnumMap<>(MessageType.class);
    after.forEach((type, count) -> {
      long d = count - before.getOrDefault(type, 0L);
      if (d != 0) {
        delta.put(type, d);
      }
    });
    return delta;
  }

  private Map<MessageType, Long> totals() {
    Map<MessageType, Long> sum = new EnumMap<>(MessageType.class);
    for (int n = 0; n < cluster.nodeCount(); n++) {
      cluster.engine(n).stats().snapshot().forEach((type, count) -> sum.merge(type, count, Long::sum));
    }
    return sum;
  }

  @Test
  void readHit_atTheOwnerOrOnAValidCopy_sendsNothing() {
    SimCluster c = cluster(3, 2);
    GlobalAddress page = c.page(0);
    assertThat(messagesOf(() -> c.await(c.read(0, page), LIMIT))).isEmpty();
    c.await(c.read(2, page), LIMIT);
    assertThat(messagesOf(() -> c.await(c.read(2, page), LIMIT))).isEmpty();
  }

  @Test
  void readMiss_whenTheResponsibleNodeOwns_isOneRoundTrip() {
    SimCluster c = cluster(3, 2);
    assertThat(messagesOf(() -> c.await(c.read(2, c.page(0)), LIMIT)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(MessageType.READ_REQUEST, 1L, MessageType.PAGE_GRANT, 1L));
  }

  @Test
  void coldReadMiss_afterOwnershipMoved_isForwardedByTheResponsibleNode_threeMessages() {
    SimCluster c = cluster(3, 2);
    GlobalAddress page = c.page(0);
    c.await(c.increment(1, page), LIMIT);
    assertThat(c.engine(1).owns(page)).isTrue();
    assertThat(messagesOf(() -> c.await(c.read(2, page), LIMIT)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(MessageType.READ_REQUEST, 2L, MessageType.PAGE_GRANT, 1L));
  }

  @Test
  void warmReadMiss_withTheOwnerHint_isOneRoundTrip() {
    SimCluster c = cluster(3, 2);
    GlobalAddress page = c.page(0);
    c.await(c.increment(1, page), LIMIT);
    c.await(c.read(2, page), LIMIT);
    c.await(c.increment(1, page), LIMIT);
    assertThat(messagesOf(() -> c.await(c.read(2, page), LIMIT)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(MessageType.READ_REQUEST, 1L, MessageType.PAGE_GRANT, 1L));
  }

  @ParameterizedTest(name = "S={0} read copies, k={1}")
  @CsvSource({"0, 1", "0, 2", "1, 2", "3, 2", "2, 3", "3, 3"})
  void ownerWrite_withSCopies_costsSInvalidationsAndKMinus1ReplicaUpdates(int copies, int k) {
    SimCluster c = cluster(5, k);
    GlobalAddress page = c.page(0);
    for (int n = 1; n <= copies; n++) {
      c.await(c.read(n, page), LIMIT);
    }
    Map<MessageType, Long> expected = new EnumMap<>(MessageType.class);
    if (copies > 0) {
      expected.put(MessageType.INVALIDATE, (long) copies);
      expected.put(MessageType.INVALIDATE_ACK, (long) copies);
    }
    if (k > 1) {
      expected.put(MessageType.REPLICA_UPDATE, k - 1L);
      expected.put(MessageType.REPLICA_ACK, k - 1L);
    }
    assertThat(messagesOf(() -> c.await(c.write(0, page, 7), LIMIT))).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void shippedWrite_fromANonOwner_addsOneRoundTripToTheOwnersCost() {
    SimCluster c = cluster(3, 2);
    GlobalAddress page = c.page(0);
    c.await(c.read(2, page), LIMIT);
    assertThat(messagesOf(() -> c.await(c.write(2, page, 9), LIMIT))).containsExactlyInAnyOrderEntriesOf(Map.of(
        MessageType.WRITE_REQUEST, 1L, MessageType.WRITE_DONE, 1L,
        MessageType.INVALIDATE, 1L, MessageType.INVALIDATE_ACK, 1L,
        MessageType.REPLICA_UPDATE, 1L, MessageType.REPLICA_ACK, 1L));
  }

  @Test
  void ownershipMigration_costsRequestInvalidationsGrantAckAndOwnerUpdate() {
    SimCluster c = cluster(3, 2);
    GlobalAddress page = c.page(0);
    c.await(c.read(2, page), LIMIT);
    // node 1 is page 0's replica: on migration node 0 becomes the replica, so no copy has to move.
    assertThat(messagesOf(() -> c.await(c.increment(1, page), LIMIT))).containsExactlyInAnyOrderEntriesOf(Map.of(
        MessageType.WRITE_REQUEST, 1L, MessageType.INVALIDATE, 1L, MessageType.INVALIDATE_ACK, 1L,
        MessageType.OWNERSHIP_GRANT, 1L, MessageType.OWNERSHIP_ACK, 1L,
        MessageType.REPLICA_UPDATE, 1L, MessageType.REPLICA_ACK, 1L));
  }
}
