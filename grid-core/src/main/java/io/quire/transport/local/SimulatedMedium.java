package io.quire.transport.local;

import io.quire.core.NodeId;
import io.quire.core.runtime.GridRuntime;
import io.quire.spi.transport.View;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Puts every frame and view on the simulation's event queue, applying the {@link FaultPlan} and the cut links as it
 * goes, and records every delivery and loss in the simulation's log.
 *
 * <p>Confined to the simulation's thread. Random draws happen only in {@link #frame}, in a fixed order per frame
 * (drop, delay, duplicate, duplicate's delay), so a run depends on nothing but the seed and the script.
 */
final class SimulatedMedium implements Medium {
  private final EventQueue queue;
  private final SimClock clock;
  private final RandomGenerator random;
  private final LinkFaults links;
  private final List<String> log;
  private FaultPlan plan;

  SimulatedMedium(EventQueue queue, SimClock clock, RandomGenerator random, LinkFaults links, FaultPlan plan,
      List<String> log) {
    this.queue = queue;
    this.clock = clock;
    this.random = random;
    this.links = links;
    this.plan = plan;
    this.log = log;
  }

  void plan(FaultPlan newPlan) {
    plan = newPlan;
  }

  FaultPlan plan() {
    return plan;
  }

  @Override
  public GridRuntime runtime(NodeId node) {
    return new GridRuntime(clock, new SimScheduler(queue, node));
  }

  @Override
  public void opened(LocalTransport transport) {}

  @Override
  public void frame(NodeId from, LocalTransport to, byte[] frame) {
    NodeId target = to.localNode();
    if (from.equals(target)) {
      queue.add(0, from, target, () -> deliver(from, to, frame));
      return;
    }
    if (links.blocks(from, target)) {
      record("cut", from, target, frame);
      return;
    }
    if (chance(plan.dropProbability())) {
      record("drop", from, target, frame);
      return;
    }
    queue.add(delayNanos(), from, target, () -> deliver(from, to, frame));
    if (chance(plan.duplicateProbability())) {
      // Its own copy: each delivery owns the bytes it is given.
      byte[] copy = frame.clone();
      queue.add(delayNanos(), from, target, () -> deliver(from, to, copy));
    }
  }

  @Override
  public void view(LocalTransport member, View view) {
    NodeId node = member.localNode();
    queue.add(0, null, node, () -> {
      log.add(clock.nanos() + " view " + view.viewId() + " " + view.members() + " -> " + node);
      member.receiveView(view);
    });
  }

  @Override
  public void closed(LocalTransport transport) {}

  @Override
  public void close() {}

  private void deliver(NodeId from, LocalTransport to, byte[] frame) {
    if (links.blocks(from, to.localNode())) {
      record("cut", from, to.localNode(), frame);
      return;
    }
    record("deliver", from, to.localNode(), frame);
    to.receive(from, frame);
  }

  private void record(String what, NodeId from, NodeId to, byte[] frame) {
    log.add(clock.nanos() + " " + what + " " + from + " -> " + to + " " + Envelope.kindOf(frame) + " "
        + frame.length + "B #" + Integer.toHexString(Arrays.hashCode(frame)));
  }

  private boolean chance(double p) {
    return p > 0 && random.nextDouble() < p;
  }

  private long delayNanos() {
    long min = plan.minDelay().toNanos();
    long max = plan.maxDelay().toNanos();
    return min == max ? min : random.nextLong(min, max + 1);
  }
}
