package io.quire.core.coherence;

import io.quire.core.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy controller: where backup copies go. Candidates are ranked by how far their group is from the owner's
 * and from the replicas chosen so far (spread across sites, then racks), then by the free RAM and disk they last
 * published, then by id, so every node that sees the same inputs makes the same choice.
 *
 * <p>Concurrency: the resource table is written and read on the owning engine's thread only.
 */
public final class Placement {
  /** What a node last published about itself. */
  public record Resources(long freeRamBytes, long freeDiskBytes) {
    /** Free RAM and disk together, saturating. */
    long total() {
      long sum = freeRamBytes + freeDiskBytes;
      return sum < 0 ? Long.MAX_VALUE : sum;
    }
  }

  private final Topology topology;
  private final Map<NodeId, Resources> resources = new HashMap<>();

  public Placement(Topology topology) {
    this.topology = topology;
  }

  /** The topology placement spreads across. */
  public Topology topology() {
    return topology;
  }

  /** Records what {@code node} published. */
  public void update(NodeId node, Resources published) {
    resources.put(node, published);
  }

  /** What {@code node} last published, or null. */
  public Resources resourcesOf(NodeId node) {
    return resources.get(node);
  }

  /**
   * Adds replicas to {@code chosen} until it has {@code wanted}, from {@code candidates}, never {@code owner} or a
   * node in {@code excluded}. Returns the nodes added, in the order chosen.
   */
  public List<NodeId> fill(NodeId owner, List<NodeId> chosen, int wanted, Collection<NodeId> candidates,
      Collection<NodeId> excluded) {
    List<NodeId> added = new ArrayList<>();
    while (chosen.size() < wanted) {
      NodeId best = null;
      for (NodeId candidate : candidates) {
        if (candidate.equals(owner) || chosen.contains(candidate) || excluded.contains(candidate)) {
          continue;
        }
        if (best == null || better(candidate, best, owner, chosen)) {
          best = candidate;
        }
      }
      if (best == null) {
        break;
      }
      chosen.add(best);
      added.add(best);
    }
    return added;
  }

  private boolean better(NodeId a, NodeId b, NodeId owner, List<NodeId> chosen) {
    return RANK.compare(new Candidate(a, spread(a, owner, chosen), free(a)),
        new Candidate(b, spread(b, owner, chosen), free(b))) < 0;
  }

  /** The smallest distance from {@code node} to the owner and the replicas already chosen: bigger spreads more. */
  private int spread(NodeId node, NodeId owner, List<NodeId> chosen) {
    int spread = topology.distance(node, owner);
    for (NodeId other : chosen) {
      spread = Math.min(spread, topology.distance(node, other));
    }
    return spread;
  }

  private long free(NodeId node) {
    Resources published = resources.get(node);
    return published == null ? 0 : published.total();
  }

  private record Candidate(NodeId node, int spread, long free) {}

  private static final Comparator<Candidate> RANK = Comparator.comparingInt(Candidate::spread).reversed()
      .thenComparing(Comparator.comparingLong(Candidate::free).reversed())
      .thenComparing(candidate -> candidate.node().value(), Long::compareUnsigned);
}
