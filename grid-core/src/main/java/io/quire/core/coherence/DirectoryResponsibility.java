package io.quire.core.coherence;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.address.GlobalAddress;
import io.quire.core.directory.Directory;
import io.quire.core.directory.RangeEntry;
import io.quire.spi.transport.View;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Responsibility in a cluster of nodes that each allocate from their own region (see {@code
 * docs/design/cluster-node.md}): a data page's responsible node is the one whose id is the address's upper half, and
 * that node's own directory says whether the page is allocated and how durable it is. Replicas are {@code k-1}
 * members taken from the ring after the responsible node, spread across failure groups: each pick is the first
 * member in ring order among those farthest from the responsible node and the replicas picked so far (with one
 * group, or none, simply the next {@code k-1} members).
 *
 * <p>Safe for concurrent use: the directory has its own lock and the view is read once per call.
 */
public final class DirectoryResponsibility implements Responsibility {
  private final NodeId self;
  private final Directory directory;
  private final int k;
  private final Supplier<View> view;
  private final Topology topology;

  /**
   * @param directory this node's directory, of the ranges it allocated
   * @param k how many copies every page should have
   * @param view the current membership
   */
  public DirectoryResponsibility(NodeId self, Directory directory, int k, Supplier<View> view) {
    this(self, directory, k, view, Topology.FLAT);
  }

  /**
   * @param directory this node's directory, of the ranges it allocated
   * @param k how many copies every page should have
   * @param view the current membership
   * @param topology the members' failure groups, which replicas spread across
   */
  public DirectoryResponsibility(NodeId self, Directory directory, int k, Supplier<View> view, Topology topology) {
    this.topology = requireNonNull(topology, "topology");
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
    NodeId acting = named;
    if (!current.contains(named) && !ring.isEmpty()) {
      acting = ring.get(0);
      ring = ring.subList(1, ring.size());
    }
    return spread(acting, ring, Math.min(k - 1, ring.size()));
  }

  /** Picks {@code wanted} of {@code ring}: each time the first member in ring order of those farthest away. */
  private List<NodeId> spread(NodeId from, List<NodeId> ring, int wanted) {
    if (wanted == ring.size()) {
      return List.copyOf(ring); // every member is taken: no choice to make (the common case while n <= k)
    }
    List<NodeId> left = new ArrayList<>(ring);
    List<NodeId> chosen = new ArrayList<>(wanted);
    while (chosen.size() < wanted) {
      int best = 0;
      int bestDistance = -1;
      for (int i = 0; i < left.size(); i++) {
        NodeId candidate = left.get(i);
        int distance = topology.distance(candidate, from);
        for (NodeId picked : chosen) {
          distance = Math.min(distance, topology.distance(candidate, picked));
        }
        if (distance > bestDistance) {
          best = i;
          bestDistance = distance;
        }
      }
      chosen.add(left.remove(best));
    }
    return List.copyOf(chosen);
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
