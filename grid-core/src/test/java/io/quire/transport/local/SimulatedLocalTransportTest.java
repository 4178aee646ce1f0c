package io.quire.transport.local;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The transport contract in simulation mode without faults: one thread, virtual time, no sleeping. */
class SimulatedLocalTransportTest extends TransportContract {
  private Simulation sim;

  @Override
  protected LocalNetwork newNetwork() {
    sim = LocalNetwork.simulated(7, FaultPlan.none());
    return sim.network();
  }

  @Override
  protected <T> T await(CompletableFuture<T> future) {
    while (!future.isDone() && sim.step()) {
      // each step delivers one event
    }
    if (!future.isDone()) {
      throw new AssertionError("the simulation went quiet at " + sim.clock().elapsed() + " without an answer");
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  @Override
  protected void settle() {
    sim.runUntilQuiescent(Duration.ofHours(1));
  }
}
