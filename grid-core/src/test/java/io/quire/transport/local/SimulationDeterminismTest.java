package io.quire.transport.local;

import static io.quire.transport.local.RecordingReceiver.bytes;
import static io.quire.transport.local.RecordingReceiver.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.quire.core.NodeId;
import io.quire.spi.transport.Receiver;
import io.quire.spi.transport.Responder;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same seed, same run, event for event: a scripted scenario with loss, duplicates, reordering, timers, a crash and
 * a restart is run twice and the two traces (network log, what each receiver saw, how each request ended, at which
 * virtual time) must be equal; a different seed must give a different trace.
 */
class SimulationDeterminismTest {
  private static final FaultPlan LOSSY = FaultPlan.none().withDrop(0.1).withDuplicate(0.1)
      .withDelay(Duration.ofMillis(1), Duration.ofMillis(30));
  private static final List<NodeId> NODES = List.of(new NodeId(1), new NodeId(2), new NodeId(3), new NodeId(4));

  @ParameterizedTest(name = "seed={0}")
  @ValueSource(longs = {1, 42, -7})
  void sameSeed_givesTheSameRun(long seed) {
    List<String> first = scenario(seed);
    List<String> second = scenario(seed);

    assertThat(first).hasSizeGreaterThan(500)
        .anyMatch(line -> line.contains(" drop "))
        .anyMatch(line -> line.contains(" got TransportTimeoutException"))
        .anyMatch(line -> line.contains(" got late:"))
        .anyMatch(line -> line.contains(" crash "))
        .anyMatch(line -> line.contains(" restart "));
    assertThat(second).containsExactlyElementsOf(first);
  }

  @ParameterizedTest(name = "seed={0}")
  @ValueSource(longs = {1, 42, -7})
  void otherSeed_givesAnotherRun(long seed) {
    assertThat(scenario(seed + 1)).isNotEqualTo(scenario(seed));
  }

  /** Runs the script and returns everything observable about the run. */
  private static List<String> scenario(long seed) {
    List<String> trace = new ArrayList<>();
    try (Simulation sim = LocalNetwork.simulated(seed, LOSSY)) {
      RandomGenerator random = sim.random();
      for (NodeId node : NODES) {
        sim.network().transport(node).start(new TracingReceiver(sim, node, trace));
      }
      for (int round = 0; round < 200; round++) {
        NodeId from = NODES.get(random.nextInt(NODES.size()));
        NodeId to = NODES.get(random.nextInt(NODES.size()));
        if (round == 100) {
          sim.crash(NODES.get(3));
        } else if (round == 150) {
          sim.restart(NODES.get(3)).start(new TracingReceiver(sim, NODES.get(3), trace));
        }
        boolean down = round >= 100 && round < 150 && from.equals(NODES.get(3));
        if (down) {
          continue;
        }
        LocalTransport sender = sim.network().transport(from);
        String body = "r" + round;
        if (random.nextBoolean()) {
          sender.send(to, bytes(body));
        } else {
          sender.request(to, bytes(body), Duration.ofMillis(50)).whenComplete((response, error) -> trace.add(
              sim.clock().nanos() + " " + from + " got " + (error == null ? text(response) : error.getClass()
                  .getSimpleName()) + " for " + body));
        }
        sim.runFor(Duration.ofMillis(random.nextInt(10)));
      }
      assertThat(sim.runUntilQuiescent(Duration.ofMinutes(1))).isTrue();
      trace.addAll(sim.log());
    }
    return trace;
  }

  /** Records what a node hears; answers half its requests at once and half after a virtual delay. */
  private record TracingReceiver(Simulation sim, NodeId self, List<String> trace) implements Receiver {
    @Override
    public void onMessage(NodeId from, ByteBuffer frame) {
      trace.add(sim.clock().nanos() + " " + self + " message " + text(frame) + " from " + from);
    }

    @Override
    public void onRequest(NodeId from, ByteBuffer frame, Responder responder) {
      String body = text(frame);
      trace.add(sim.clock().nanos() + " " + self + " request " + body + " from " + from);
      if (sim.random().nextBoolean()) {
        responder.reply(bytes("re:" + body));
      } else {
        sim.runtime(self).scheduler().schedule(() -> responder.reply(bytes("late:" + body)), Duration.ofMillis(20));
      }
    }

    @Override
    public void onView(View view) {
      trace.add(sim.clock().nanos() + " " + self + " view " + view);
    }
  }
}
