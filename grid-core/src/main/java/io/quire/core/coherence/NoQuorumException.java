package io.quire.core.coherence;

import io.quire.core.GridException;
import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import java.util.List;

/**
 * A page operation refused because this node's view is on the minority side of a partition ({@link Quorum}): the
 * other side may be writing the page, so this node neither reads nor writes until it is back in a majority view.
 * Nothing was changed; the operation may be retried once the cluster has healed.
 */
public final class NoQuorumException extends GridException {
  private static final long serialVersionUID = 1L;

  private final transient GlobalAddress page;

  NoQuorumException(GlobalAddress page, NodeId self, long viewId, List<NodeId> members, List<NodeId> primary) {
    super("page " + page + " is unavailable on " + self + ": its view " + viewId + " " + members
        + " holds no majority of the last primary view's members " + primary
        + " (a partition or the loss of half the cluster); reads and writes resume when it rejoins the majority");
    this.page = page;
  }

  /** The refused page. */
  public GlobalAddress page() {
    return page;
  }
}
