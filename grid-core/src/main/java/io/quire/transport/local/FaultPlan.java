package io.quire.transport.local;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a simulated network does to each frame between two different nodes: lose it, deliver it twice, or delay it by
 * a uniformly drawn virtual time (random delays reorder frames). Frames a node sends itself are never faulted.
 * Immutable; the {@code with*} methods return a changed copy. Partitions, crashes and dropped links are not part of
 * the plan but operations on the {@link Simulation}, because a test applies them at chosen moments.
 *
 * @param dropProbability chance that a frame is lost, in [0, 1]
 * @param duplicateProbability chance that a delivered frame is delivered a second time (independently delayed)
 * @param minDelay least virtual delay of a frame
 * @param maxDelay greatest virtual delay of a frame; equal to {@code minDelay} keeps FIFO per pair
 */
public record FaultPlan(double dropProbability, double duplicateProbability, Duration minDelay, Duration maxDelay) {

  public FaultPlan {
    requireProbability(dropProbability, "dropProbability");
    requireProbability(duplicateProbability, "duplicateProbability");
    requireNonNull(minDelay, "minDelay");
    requireNonNull(maxDelay, "maxDelay");
    if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException("delays must satisfy 0 <= minDelay <= maxDelay, got " + minDelay + " and "
          + maxDelay);
    }
  }

  /** A perfect network: no loss, no duplicates, no delay (FIFO per pair). */
  public static FaultPlan none() {
    return new FaultPlan(0, 0, Duration.ZERO, Duration.ZERO);
  }

  /** This plan, losing each frame with probability {@code p}. */
  public FaultPlan withDrop(double p) {
    return new FaultPlan(p, duplicateProbability, minDelay, maxDelay);
  }

  /** This plan, duplicating each delivered frame with probability {@code p}. */
  public FaultPlan withDuplicate(double p) {
    return new FaultPlan(dropProbability, p, minDelay, maxDelay);
  }

  /** This plan, delaying each frame by a virtual time drawn uniformly from [{@code min}, {@code max}]. */
  public FaultPlan withDelay(Duration min, Duration max) {
    return new FaultPlan(dropProbability, duplicateProbability, min, max);
  }

  private static void requireProbability(double p, String name) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
    }
  }
}
