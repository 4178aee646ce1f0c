package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A backup copy keeps its page's durability promise: forced to disk before it is acknowledged for a persistent page,
 * only written (no sync) for a volatile one, whose owner keeps its own copy in RAM.
 */
class CoherenceReplicaDurabilityTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  void backupsOfPersistentPagesAreForced_andBackupsOfVolatilePagesAreNot() {
    try (SimCluster c = SimCluster.of(2, 2, 2, 7, FaultPlan.none(),
        CoherenceSettings.DEFAULTS.withoutResourceReports())) {
      GlobalAddress volatilePage = c.page(0); // even pages are volatile, odd ones persistent
      GlobalAddress persistentPage = c.page(1);
      // Page 0's owner is node 0, its backup node 1; page 1's owner is node 1, its backup node 0.
      for (int i = 1; i <= 5; i++) {
        c.await(c.write(0, volatilePage, i), LIMIT);
        c.await(c.write(1, persistentPage, i), LIMIT);
      }
      c.simulation().runUntilQuiescent(LIMIT);

      assertThat(c.replicaStore(1).lazyWrites()).as("volatile backups written without a sync").isEqualTo(5);
      assertThat(c.replicaStore(1).durableWrites()).as("volatile backups forced").isZero();
      assertThat(c.replicaStore(0).durableWrites()).as("persistent backups forced").isEqualTo(5);
      assertThat(c.replicaStore(0).lazyWrites()).as("persistent backups written without a sync").isZero();
      assertThat(c.engine(1).heldCopy(volatilePage).version()).isEqualTo(c.engine(0).ownedVersion(volatilePage));
    }
  }
}
