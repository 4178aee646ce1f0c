package io.quire.transport.local;

import static java.util.Objects.requireNonNull;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link LocalNetwork} in simulation mode, and the handle that drives it: one thread, virtual time, seeded faults.
 * Nothing happens until the test calls {@link #step}, {@link #runUntilQuiescent} or {@link #runFor}; each step
 * delivers exactly one event (a frame, a view or a due timer) and moves the {@link #clock()} to its time.
 *
 * <p>Determinism: every random choice comes from one {@link SplittableRandom} seeded once with {@link #seed()}, and
 * events are ordered by (virtual time, scheduling order). Given the same seed and the same calls, two runs deliver
 * the same events at the same virtual times, which {@link #log()} records line by line.
 *
 * <pre>{@code
 * Simulation sim = LocalNetwork.simulated(42, FaultPlan.none().withDrop(0.1));
 * LocalTransport a = sim.network().transport(A);  // start() it with a receiver, likewise b
 * a.request(B, frame, Duration.ofSeconds(1));
 * sim.runUntilQuiescent(Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Confined to the thread that first drives it. Not thread-safe by design.
 */
public final class Simulation implements AutoCloseable {
  /** A run that is still busy after this many events is taken for a livelock. */
  private static final long MAX_STEPS = 10_000_000;

  private final long seed;
  private final RandomGenerator random;
  private final SimClock clock = new SimClock();
  private final EventQueue queue = new EventQueue(clock);
  private final LinkFaults links = new LinkFaults();
  private final List<String> log = new ArrayList<>();
  private final SimulatedMedium medium;
  private final LocalNetwork network;
  private final GridRuntime runtime;

  Simulation(long seed, FaultPlan faults) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.medium = new SimulatedMedium(queue, clock, random, links, requireNonNull(faults, "faults"), log);
    this.network = new LocalNetwork(medium);
    this.runtime = new GridRuntime(clock, new SimScheduler(queue, null));
  }

  /* ---- the world ---- */

  /** The simulated network: {@code network().transport(node)} gives a node's transport. */
  public LocalNetwork network() {
    return network;
  }

  /** Virtual time. */
  public SimClock clock() {
    return clock;
  }

  /** The virtual clock and a scheduler whose timers survive every crash. */
  public GridRuntime runtime() {
    return runtime;
  }

  /** The virtual clock and a scheduler whose pending timers are lost when {@code node} crashes. */
  public GridRuntime runtime(NodeId node) {
    return new GridRuntime(clock, new SimScheduler(queue, requireNonNull(node, "node")));
  }

  /**
   * The simulation's one random source, for the test's own choices (which node, which operation) so that they too
   * replay from the seed. Draws interleave with the network's, which is fine: the order of calls is itself replayed.
   */
  public RandomGenerator random() {
    return random;
  }

  /** The seed this run replays from; print it when a test fails. */
  public long seed() {
    return seed;
  }

  /** Every delivered, cut or dropped frame and every delivered view, in order, with its virtual time. */
  public List<String> log() {
    return Collections.unmodifiableList(log);
  }

  /** Events waiting to run. */
  public int pendingEvents() {
    return queue.size();
  }

  /* ---- driving ---- */

  /** Runs the next event, advancing virtual time to it. Returns false, doing nothing, when there is none. */
  public boolean step() {
    return queue.runNext();
  }

  /**
   * Runs events until none is left or the next one is more than {@code maxVirtualTime} from now. Returns true when
   * the simulation is quiescent; false when it stopped at the time limit (e.g. a periodic timer keeps it busy).
   *
   * @throws IllegalStateException after ten million events without reaching either (events that schedule each other
   *     at the same instant)
   */
  public boolean runUntilQuiescent(Duration maxVirtualTime) {
    long deadline = Math.addExact(clock.nanos(), maxVirtualTime.toNanos());
    runUntil(deadline);
    return queue.size() == 0;
  }

  /** Runs every event due within {@code duration}, then leaves the clock {@code duration} later. Returns the count. */
  public long runFor(Duration duration) {
    long deadline = Math.addExact(clock.nanos(), duration.toNanos());
    long steps = runUntil(deadline);
    clock.advanceTo(deadline);
    return steps;
  }

  private long runUntil(long deadline) {
    long steps = 0;
    for (long next = queue.nextAt(); next >= 0 && next <= deadline; next = queue.nextAt()) {
      queue.runNext();
      if (++steps == MAX_STEPS) {
        throw new IllegalStateException("seed " + seed + ": still busy after " + MAX_STEPS + " events at "
            + clock.elapsed() + " of virtual time; something reschedules itself without delay");
      }
    }
    return steps;
  }

  /* ---- faults ---- */

  /** The fault plan in force. */
  public FaultPlan faults() {
    return medium.plan();
  }

  /** Replaces the fault plan for frames sent from now on (e.g. a lossy phase, then a stable one). */
  public void faults(FaultPlan plan) {
    medium.plan(requireNonNull(plan, "plan"));
  }

  /**
   * Cuts every link between a node of {@code a} and a node of {@code b}, both ways, including frames in flight.
   * Membership is unchanged: the nodes stay in each other's views, so their requests time out.
   */
  public void partition(Set<NodeId> a, Set<NodeId> b) {
    links.partition(a, b);
  }

  /** Loses every frame to {@code node} from another node, including frames in flight, until {@link #heal}. */
  public void dropTrafficTo(NodeId node) {
    links.dropTrafficTo(requireNonNull(node, "node"));
  }

  /** Undoes {@link #dropTrafficTo} for {@code node}. */
  public void restoreTrafficTo(NodeId node) {
    links.restoreTrafficTo(requireNonNull(node, "node"));
  }

  /**
   * A split brain, as a real network partition ends: cuts every link between {@code side} and the other members and
   * hands each side a view of its own members. {@link #mergeViews} (after {@link #heal}) ends it.
   */
  public void splitViews(Set<NodeId> side) {
    log.add(clock.nanos() + " split " + side);
    links.partition(side, network.splitViews(Set.copyOf(side)));
  }

  /** Hands every member one view of all members again, as a merge after a partition heals. */
  public void mergeViews() {
    log.add(clock.nanos() + " merge");
    network().mergeViews();
  }

  /** Removes every partition and every {@link #dropTrafficTo}. Lost frames stay lost. */
  public void heal() {
    links.heal();
  }

  /**
   * Crashes {@code node}: its frames in flight, to and from it, and its {@link #runtime(NodeId)} timers are lost; its
   * pending requests fail; it leaves the view (the others' requests to it fail); its receiver hears nothing more. It
   * stays down until {@link #restart}.
   */
  public void crash(NodeId node) {
    requireNonNull(node, "node");
    queue.purge(node);
    network.crash(node);
    log.add(clock.nanos() + " crash " + node);
  }

  /**
   * A fresh, unstarted transport for a crashed or closed node; {@code start} it to rejoin. What else survives the
   * crash is for the node's owner to decide.
   *
   * @throws IllegalStateException if the node is running
   */
  public LocalTransport restart(NodeId node) {
    LocalTransport fresh = network.restart(requireNonNull(node, "node"));
    log.add(clock.nanos() + " restart " + node);
    return fresh;
  }

  /** Closes every transport. */
  @Override
  public void close() {
    network.close();
  }
}
