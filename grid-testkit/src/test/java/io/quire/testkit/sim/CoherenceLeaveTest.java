package io.quire.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.address.GlobalAddress;
import io.quire.core.coherence.CoherenceSettings;
import io.quire.core.page.Page;
import io.quire.transport.local.FaultPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A graceful leave hands pages and backup copies over first, so k copies hold every page before the node goes. */
class CoherenceLeaveTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int NODES = 4;
  private static final int PAGES = 4;

  @ParameterizedTest(name = "leaving node {0}")
  @ValueSource(ints = {0, 1, 2, 3})
  void leave_keepsKCopiesOfEveryPageAndEveryValue(int leaving) {
    FaultPlan faults = FaultPlan.none().withDrop(0.05).withDuplicate(0.05)
        .withDelay(Duration.ofMillis(1), Duration.ofMillis(20));
    try (SimCluster c = SimCluster.of(NODES, PAGES, 2, 17 + leaving, faults, CoherenceSettings.DEFAULTS.withoutResourceReports())) {
      long[] expected = new long[PAGES];
      for (int p = 0; p < PAGES; p++) {
        // Ownership spreads: page p is written by node p+1 repeatedly, so it migrates there.
        for (int i = 0; i < 4; i++) {
          expected[p] = 100L * p + i;
          c.await(c.write((p + 1) % NODES, c.page(p), expected[p]), LIMIT);
        }
        c.await(c.read(leaving, c.page(p)), LIMIT);
      }
      // Traffic from the other nodes goes on while the node leaves.
      List<CompletableFuture<Long>> during = new ArrayList<>();
      for (int p = 0; p < PAGES; p++) {
        int writer = (leaving + 1 + p % (NODES - 1)) % NODES;
        expected[p] = 1_000L + p;
        during.add(c.write(writer, c.page(p), expected[p]));
      }
      for (CompletableFuture<Long> f : during) {
        c.await(f, LIMIT);
      }
      c.await(c.engine(leaving).leave(), LIMIT);
      // Before the node goes, the others already hold k copies of every page and own all of them.
      for (int p = 0; p < PAGES; p++) {
        GlobalAddress page = c.page(p);
        assertThat(c.engine(leaving).owns(page)).as("page %d still owned by the leaving node", p).isFalse();
        c.simulation().runUntilQuiescent(LIMIT);
        Page owned = c.ownerCopy(page);
        assertThat(owned).as("page %d has an owner%s", p, c.describe(page)).isNotNull();
        assertThat(c.copiesOf(page, owned, leaving)).as("copies of page %d without the leaving node%s", p,
            c.describe(page)).isGreaterThanOrEqualTo(2);
      }
      c.close(leaving);
      c.simulation().runUntilQuiescent(LIMIT);
      for (int p = 0; p < PAGES; p++) {
        GlobalAddress page = c.page(p);
        Page owned = c.ownerCopy(page);
        assertThat(owned).as("page %d has an owner after the leave%s", p, c.describe(page)).isNotNull();
        assertThat(SimCluster.value(owned)).isEqualTo(expected[p]);
        assertThat(c.copiesOf(page, owned)).as("copies of page %d%s", p, c.describe(page)).isGreaterThanOrEqualTo(2);
        for (int n = 0; n < NODES; n++) {
          if (n != leaving) {
            assertThat(c.await(c.read(n, page), LIMIT)).isEqualTo(expected[p]);
          }
        }
      }
    }
  }
}
