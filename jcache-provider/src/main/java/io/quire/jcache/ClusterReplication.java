package io.quire.jcache;

import io.quire.core.ClusterNode;
import io.quire.core.coherence.CoherenceEngine;
import io.quire.spi.transport.View;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster node's {@link ReplicationStatus}: its engine's answer ({@link CoherenceEngine#holdings()}) for the pages it
 * owns, and pending as well while the transport has installed a view the engine has not taken up yet, so a member
 * that just left counts at once rather than after the engine hears of it.
 */
final class ClusterReplication {
  /** How long to wait for the engine's answer before reporting unknown. */
  static final Duration WAIT = Duration.ofSeconds(2);

  private ClusterReplication() {}

  /**
   * @param k the node's replication factor
   * @param latest the transport's current view, read before the engine is asked
   */
  static ReplicationStatus of(ClusterNode node, int k, View latest) {
    CoherenceEngine.Holdings holdings;
    try {
      holdings = node.engine().holdings().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ReplicationStatus(k, latest.size(), ReplicationStatus.State.UNKNOWN);
    } catch (ExecutionException | TimeoutException e) {
      return new ReplicationStatus(k, latest.size(), ReplicationStatus.State.UNKNOWN);
    }
    boolean settled = holdings.replicationSatisfied() && holdings.viewId() >= latest.viewId();
    return new ReplicationStatus(k, holdings.members(),
        settled ? ReplicationStatus.State.SATISFIED : ReplicationStatus.State.PENDING);
  }
}
