package io.quire.jcache;

/**
 * Test access to the in-JVM cluster behind a default manager ({@code quire.default.cluster-nodes}): in the provider's
 * package, since the cluster is not public API.
 */
public final class InJvmClusters {
  private InJvmClusters() {}

  /** Closes node {@code index} of the manager's in-JVM cluster without handing its pages over, as a crash would. */
  public static void closeNode(QuireCacheManager manager, int index) {
    if (!(manager.grid() instanceof InJvmClusterGrid cluster)) {
      throw new IllegalArgumentException(manager + " is not on an in-JVM cluster");
    }
    cluster.closeNode(index);
  }
}
