package io.quire.core.coherence;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.directory.Directory;
import io.quire.core.directory.RangeEntry;
import io.quire.spi.transport.View;
import java.util.List;
import java.util.function.Supplier;

/**
 * Responsibility in a cluster of nodes that each allocate from their own region (see {@code
 * docs/design/cluster-node.md}): a data page's responsible node is the one whose id is the address's upper half, and
 * that node's own directory says whether the page is allocated and how durable it is. Replicas are the next {@code
 * k-1} members after the responsible node.
 *
 * <p>Safe for concurrent use: the directory has its own lock and the view is read once per call.
 */
public final class DirectoryResponsibility implements Responsibility {
  private final NodeId self;
  private final Directory directory;
  private final int k;
  private final Supplier<View> view;

  /**
   * @param directory this node's directory, of the ranges it allocated
   * @param k how many copies every page should have
   * @param view the current membership
   */
  public DirectoryResponsibility(NodeId self, Directory directory, int k, Supplier<View> view) {
    this.self = requireNonNull(self, "self");
    this.directory = requireNonNull(directory, "directory");
    this.view = requireNonNull(view, "view");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, not " + k);
    }
    this.k = k;
  }

  @Override
  public NodeId responsibleFor(GlobalAddress page) {
    return new NodeId(page.hi());
  }

  /**
   * The {@code k-1} members after the page's acting responsible node: the named one, or, when it is not a member (a
   * cluster-region page, a departed node's page), the member after it ({@link CoherenceEngine#responsible}), which
   * then must not be counted as one of its own replicas (a catalog page would otherwise start with no backup).
   */
  @Override
  public List<NodeId> replicasFor(GlobalAddress page) {
    View current = view.get();
    NodeId named = responsibleFor(page);
    List<NodeId> ring = CoherenceEngine.ringAfter(current, named);
    if (!current.contains(named) && !ring.isEmpty()) {
      ring = ring.subList(1, ring.size());
    }
    return List.copyOf(ring.subList(0, Math.min(k - 1, ring.size())));
  }

  /** Known on the responsible node only; elsewhere the page's own volatile bit travels with it. */
  @Override
  public boolean isVolatile(GlobalAddress page) {
    RangeEntry entry = responsibleFor(page).equals(self) ? directory.lookup(page) : null;
    return entry != null && entry.durability().volatileBit();
  }

  /**
   * Only the allocating node's directory knows. While that node is away and this one acts as the page's responsible
   * node, the answer is yes: refusing would make a departed node's data unreachable; freed ranges are still refused,
   * since every node remembers the frees it was told of.
   */
  @Override
  public boolean isAllocated(GlobalAddress page) {
    return !responsibleFor(page).equals(self) || directory.lookup(page) != null;
  }
}
