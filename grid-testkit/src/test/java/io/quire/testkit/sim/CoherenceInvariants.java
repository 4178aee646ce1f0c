package io.quire.testkit.sim;

import io.quire.core.address.GlobalAddress;
import io.quire.core.page.Page;

/**
 * Checked after every simulation step: at most one node that may serve pages owns a page (a node cut off on the
 * minority side of a split brain may still believe it owns one, but serves nothing), and no node can serve a local
 * read of a version older than the newest one committed so far (a stale copy that survived its invalidation).
 */
final class CoherenceInvariants implements Runnable {
  private final SimCluster cluster;
  private final long[] newestCommitted;
  private final String replay;

  CoherenceInvariants(SimCluster cluster, int pages, String replay) {
    this.cluster = cluster;
    this.newestCommitted = new long[pages];
    this.replay = replay;
  }

  @Override
  public void run() {
    for (int p = 0; p < newestCommitted.length; p++) {
      GlobalAddress page = cluster.page(p);
      int owners = 0;
      for (int n = 0; n < cluster.nodeCount(); n++) {
        if (!cluster.isAlive(n) || cluster.engine(n).inMinority()) {
          continue;
        }
        long owned = cluster.engine(n).ownedVersion(page);
        if (owned >= 0) {
          owners++;
          newestCommitted[p] = Math.max(newestCommitted[p], owned);
        }
      }
      if (owners > 1) {
        throw new AssertionError(replay + ": " + owners + " owners of " + page + cluster.describe(page));
      }
      for (int n = 0; n < cluster.nodeCount(); n++) {
        if (!cluster.isAlive(n)) {
          continue;
        }
        Page local = cluster.engine(n).readLocal(page);
        if (local != null && local.version() < newestCommitted[p]) {
          throw new AssertionError(replay + ": node " + n + " would serve v" + local.version() + " of " + page
              + " locally although v" + newestCommitted[p] + " is committed" + cluster.describe(page));
        }
      }
    }
  }
}
