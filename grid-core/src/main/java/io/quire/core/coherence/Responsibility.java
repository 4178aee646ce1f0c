package io.quire.core.coherence;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import java.util.List;

/**
 * Where a page's bookkeeping lives: its responsible node (the initial owner, and who tracks the owner since), the
 * replicas that hold its backup copies, and its volatile bit. The memory layer answers from the directory; tests
 * answer from a table.
 */
public interface Responsibility {

  /** The page's responsible node. */
  NodeId responsibleFor(GlobalAddress page);

  /** The {@code k-1} nodes that hold backup copies when the responsible node owns the page. */
  List<NodeId> replicasFor(GlobalAddress page);

  /** True when the page belongs to a volatile range. */
  boolean isVolatile(GlobalAddress page);

  /**
   * True when the page lies in an allocated range. Asked only on the page's responsible node, which refuses requests
   * for pages that are not (never allocated, or freed), so a remote use-after-free fails instead of reading zeros.
   */
  default boolean isAllocated(GlobalAddress page) {
    return true;
  }
}
