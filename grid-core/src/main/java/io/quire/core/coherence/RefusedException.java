package io.quire.core.coherence;

import io.quire.core.GridException;
import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;

/** A page operation that the page's responsible node refused: the page is not in an allocated range. */
public final class RefusedException extends GridException {
  private static final long serialVersionUID = 1L;

  private final transient GlobalAddress page;

  RefusedException(GlobalAddress page, NodeId by, String reason) {
    super("page " + page + " was refused by " + by + ": " + reason);
    this.page = page;
  }

  /** The refused page. */
  public GlobalAddress page() {
    return page;
  }
}
