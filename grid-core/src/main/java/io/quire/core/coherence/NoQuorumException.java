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
    this(page, self + ": its view " + viewId + " " + members + " holds no majority of the last primary view's "
        + "members " + primary + " (a partition or the loss of half the cluster); reads and writes resume when it "
        + "rejoins the majority");
  }

  /** The node's read lease ran out: it has not heard from a quorum of its view for {@code lease}. */
  NoQuorumException(GlobalAddress page, NodeId self, long viewId, java.time.Duration lease) {
    this(page, self + ": it has not heard from a quorum of its view " + viewId + " for " + lease
        + " (a partition not yet seen as a view change); reads and writes resume when it hears from them again");
  }

  private NoQuorumException(GlobalAddress page, String why) {
    super("page " + page + " is unavailable on " + why);
    this.page = page;
  }

  /** The refused page. */
  public GlobalAddress page() {
    return page;
  }
}
