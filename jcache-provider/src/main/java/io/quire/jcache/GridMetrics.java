package io.quire.jcache;

/**
 * What a cache manager's grid node has done so far, for metrics and health endpoints. Counters only grow; a figure the
 * node cannot know (messages on a single node) is zero. On a cluster node the tiers are those of the pages it owns
 * and its read copies (backup copies of other nodes' pages are kept apart and not counted). Whether the node holds
 * {@code k} copies is {@link QuireCacheManager#replicationStatus()}, which asks the node's engine.
 *
 * @param ramPages pages in the RAM tier now
 * @param ramBytes bytes the RAM tier holds now
 * @param diskPages pages in the disk tier now
 * @param pageIns pages read back from disk into RAM
 * @param pageOuts pages written out of RAM to make room
 * @param readMisses read requests sent to other nodes (a page not held here)
 * @param invalidations read copies invalidated by writes
 * @param migrations ownership moves to a writing node
 * @param messagesSent coherence messages sent, all kinds
 * @param members members of the node's current view (1 on a single node)
 */
public record GridMetrics(long ramPages, long ramBytes, long diskPages, long pageIns, long pageOuts,
    long readMisses, long invalidations, long migrations, long messagesSent, int members) {

  /** What cluster node {@code node} has done, in a view of {@code members}. */
  static GridMetrics of(io.quire.core.ClusterNode node, int members) {
    io.quire.core.GridStats tiers = node.stats();
    io.quire.core.coherence.MessageStats sent = node.engine().stats();
    return new GridMetrics(tiers.ramPages(), tiers.ramBytes(), tiers.diskPages(), tiers.pageIns(), tiers.pageOuts(),
        sent.sent(io.quire.core.message.MessageType.READ_REQUEST),
        sent.sent(io.quire.core.message.MessageType.INVALIDATE),
        sent.sent(io.quire.core.message.MessageType.OWNERSHIP_GRANT), sent.totalSent(), members);
  }
}
