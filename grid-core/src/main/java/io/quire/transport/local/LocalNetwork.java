package io.quire.transport.local;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.spi.transport.View;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A cluster inside one JVM: hands out one {@link LocalTransport} per node, keeps the membership, and routes frames
 * between the nodes. An instance, never static state, so that tests never share a network.
 *
 * <p>Two modes: {@link #threaded()} delivers on real threads with real timeouts; {@link #simulated} returns a
 * {@link Simulation} that delivers on one thread in virtual time, with seeded faults.
 *
 * <p>A node joins when its transport {@link LocalTransport#start starts} and leaves when it closes; each change installs
 * a new {@link View} at every member.
 */
public final class LocalNetwork implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalNetwork.class.getName());

  private final Medium medium;
  // Guards nodes, crashed, view, closed and every membership change, so views are installed in one order everywhere.
  private final Object membership = new Object();
  private final Map<NodeId, LocalTransport> nodes = new HashMap<>();
  private final Set<NodeId> crashed = new HashSet<>();
  private View view = View.empty();
  private boolean closed;
  // The started members, for routing without the lock: written under `membership`, read by any sender.
  private final ConcurrentHashMap<NodeId, LocalTransport> members = new ConcurrentHashMap<>();

  LocalNetwork(Medium medium) {
    this.medium = medium;
  }

  /** A network that delivers on one thread per node and times requests out on the system clock. Close it. */
  public static LocalNetwork threaded() {
    return new LocalNetwork(new ThreadedMedium());
  }

  /**
   * A simulated network: one thread, virtual time, and all randomness (faults, delays) drawn from one generator
   * seeded with {@code seed}, so the same seed and the same script give the same run.
   */
  public static Simulation simulated(long seed, FaultPlan faults) {
    return new Simulation(seed, faults);
  }

  /**
   * The live transport of {@code node}, created (not started) on first use or after the previous one was closed.
   *
   * @throws IllegalStateException if the node crashed in a simulation and was not restarted
   */
  public LocalTransport transport(NodeId node) {
    requireNonNull(node, "node");
    synchronized (membership) {
      requireOpen();
      if (crashed.contains(node)) {
        throw new IllegalStateException(node + " has crashed; Simulation.restart(node) gives it a new transport");
      }
      LocalTransport current = nodes.get(node);
      if (current == null || !current.isOpen()) {
        current = new LocalTransport(this, node, medium.runtime(node));
        nodes.put(node, current);
      }
      return current;
    }
  }

  /** The latest view of the whole network. */
  public View view() {
    synchronized (membership) {
      return view;
    }
  }

  /** Closes every transport, then the network's threads. */
  @Override
  public void close() {
    List<LocalTransport> all;
    synchronized (membership) {
      if (closed) {
        return;
      }
      all = new ArrayList<>(nodes.values());
    }
    all.forEach(LocalTransport::close);
    synchronized (membership) {
      closed = true;
    }
    medium.close();
  }

  /* ---- called by transports and the simulation ---- */

  void join(LocalTransport transport) {
    medium.opened(transport);
    changeMembership(() -> members.put(transport.localNode(), transport));
  }

  void leave(LocalTransport transport) {
    medium.closed(transport);
    changeMembership(() -> members.remove(transport.localNode(), transport));
  }

  /** Kills {@code node}'s transport without a goodbye; it stays dead until {@link #restart}. */
  void crash(NodeId node) {
    LocalTransport victim;
    synchronized (membership) {
      victim = nodes.get(node);
      crashed.add(node);
    }
    if (victim != null && victim.shutDown("its node crashed")) {
      medium.closed(victim);
      changeMembership(() -> members.remove(node, victim));
    }
  }

  /** A new, unstarted transport for a crashed (or closed) node. */
  LocalTransport restart(NodeId node) {
    synchronized (membership) {
      crashed.remove(node);
    }
    LocalTransport fresh = transport(node);
    if (fresh.isStarted()) {
      throw new IllegalStateException(node + " is running; crash or close it before restarting it");
    }
    return fresh;
  }

  /** Hands {@code frame} to the medium for the current member {@code to}; drops it if there is none. */
  void route(NodeId from, NodeId to, byte[] frame) {
    LocalTransport target = members.get(to);
    if (target == null) {
      LOG.fine(() -> "dropped a frame from " + from + " to " + to + ", which is not a member");
      return;
    }
    medium.frame(from, target, frame);
  }

  /**
   * Applies {@code change} to the members and installs the resulting view. Every member is handed the view's
   * callback before any member can see the view as current, so a frame sent "after the view" by anyone is queued
   * behind that callback at its receiver.
   */
  private void changeMembership(Runnable change) {
    List<LocalTransport> installed = new ArrayList<>();
    View next;
    synchronized (membership) {
      change.run();
      next = new View(view.viewId() + 1, new ArrayList<>(members.keySet()));
      view = next;
      for (NodeId node : next.members()) {
        LocalTransport member = members.get(node);
        medium.view(member, next);
        installed.add(member);
      }
      installed.forEach(member -> member.installView(next));
    }
    installed.forEach(member -> member.failRequestsOutside(next));
  }

  /**
   * A split brain: the members in {@code side} are handed a view of themselves alone and the other members a view of
   * the rest, as the two sides of a real partition each install their own. Links are the caller's to cut. Every view
   * gets a new id, above every earlier one.
   *
   * @return the members on the other side
   */
  Set<NodeId> splitViews(Set<NodeId> side) {
    List<Map.Entry<LocalTransport, View>> installed = new ArrayList<>();
    synchronized (membership) {
      Set<NodeId> rest = new HashSet<>(members.keySet());
      rest.removeAll(side);
      for (Set<NodeId> group : List.of(side, rest)) {
        List<NodeId> present = group.stream().filter(members::containsKey).toList();
        View next = new View(view.viewId() + 1, present);
        view = next;
        for (NodeId node : present) {
          LocalTransport member = members.get(node);
          medium.view(member, next);
          installed.add(Map.entry(member, next));
        }
      }
      installed.forEach(entry -> entry.getKey().installView(entry.getValue()));
      return rest;
    }
  }

  /** Ends {@link #splitViews}: every member is handed one view of all members again. */
  void mergeViews() {
    changeMembership(() -> { });
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the local network is closed");
    }
  }
}
