package io.quire.transport.local;

import static io.quire.transport.local.RecordingReceiver.bytes;
import static io.quire.transport.local.RecordingReceiver.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quire.core.NodeId;
import io.quire.spi.transport.NodeUnreachableException;
import io.quire.spi.transport.TransportClosedException;
import io.quire.spi.transport.TransportTimeoutException;
import io.quire.spi.transport.View;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only a simulation can do: faults, crashes, virtual time. Nothing here sleeps or waits on a real clock. */
class SimulationFaultsTest {
  private static final NodeId A = new NodeId(1);
  private static final NodeId B = new NodeId(2);
  private static final NodeId C = new NodeId(3);
  private static final Duration FOREVER = Duration.ofDays(1);

  private final RecordingReceiver atA = new RecordingReceiver();
  private final RecordingReceiver atB = new RecordingReceiver();
  private final RecordingReceiver atC = new RecordingReceiver();
  private Simulation sim;

  private Simulation start(long seed, FaultPlan faults) {
    sim = LocalNetwork.simulated(seed, faults);
    sim.network().transport(A).start(atA);
    sim.network().transport(B).start(atB);
    sim.network().transport(C).start(atC);
    sim.runUntilQuiescent(FOREVER);
    return sim;
  }

  private LocalTransport node(NodeId node) {
    return sim.network().transport(node);
  }

  @AfterEach
  void close() {
    sim.close();
  }

  /* ---- loss and time ---- */

  @Test
  void dropAll_losesEveryFrame_andRequestsTimeOutInVirtualTime() {
    start(1, FaultPlan.none().withDrop(1.0));
    long wallStart = System.nanoTime();

    node(A).send(B, bytes("lost"));
    CompletableFuture<ByteBuffer> response = node(A).request(B, bytes("ping"), Duration.ofHours(1));
    assertThat(sim.runUntilQuiescent(FOREVER)).isTrue();

    assertThat(atB.messages()).isEmpty();
    assertThat(atB.requests()).isEmpty();
    assertThat(response).isCompletedExceptionally();
    assertThatThrownBy(response::join).hasCauseInstanceOf(TransportTimeoutException.class);
    assertThat(sim.clock().elapsed()).isEqualTo(Duration.ofHours(1));
    assertThat(Duration.ofNanos(System.nanoTime() - wallStart)).isLessThan(Duration.ofSeconds(5));
    assertThat(sim.log()).filteredOn(line -> line.contains(" drop ")).hasSize(2);
  }

  @Test
  void timeout_firesExactlyWhenItsVirtualTimeComes() {
    start(1, FaultPlan.none());
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> response = node(A).request(B, bytes("ping"), Duration.ofMillis(500));

    sim.runFor(Duration.ofMillis(499));
    assertThat(response).isNotDone();
    sim.runFor(Duration.ofMillis(1));
    assertThat(response).isCompletedExceptionally();
    assertThat(sim.clock().elapsed()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void step_deliversOneEventAtATime_andReportsQuiescence() {
    start(1, FaultPlan.none().withDelay(Duration.ofMillis(10), Duration.ofMillis(10)));
    node(A).send(B, bytes("one"));
    node(A).send(B, bytes("two"));

    assertThat(sim.pendingEvents()).isEqualTo(2);
    assertThat(sim.step()).isTrue();
    assertThat(atB.texts()).containsExactly("one");
    assertThat(sim.clock().elapsed()).isEqualTo(Duration.ofMillis(10));
    assertThat(sim.step()).isTrue();
    assertThat(sim.step()).isFalse();
    assertThat(atB.texts()).containsExactly("one", "two");
  }

  @Test
  void randomDelays_reorderFrames_constantDelaysDoNot() {
    start(3, FaultPlan.none().withDelay(Duration.ofMillis(1), Duration.ofMillis(50)));
    List<String> sent = IntStream.range(0, 50).mapToObj(i -> "m" + i).toList();
    sent.forEach(m -> node(A).send(B, bytes(m)));
    sim.runUntilQuiescent(FOREVER);

    assertThat(atB.texts()).containsExactlyInAnyOrderElementsOf(sent).isNotEqualTo(sent);

    sim.faults(FaultPlan.none().withDelay(Duration.ofMillis(7), Duration.ofMillis(7)));
    sent.forEach(m -> node(A).send(C, bytes(m)));
    sim.runUntilQuiescent(FOREVER);
    assertThat(atC.texts()).containsExactlyElementsOf(sent);
  }

  /* ---- duplicates ---- */

  @Test
  void duplicateAll_deliversTwice_butCompletesTheRequestOnce() {
    start(1, FaultPlan.none().withDuplicate(1.0));
    AtomicInteger completions = new AtomicInteger();

    node(A).send(B, bytes("twice"));
    CompletableFuture<ByteBuffer> response = node(A).request(B, bytes("ping"), Duration.ofSeconds(1));
    response.whenComplete((r, e) -> completions.incrementAndGet());
    sim.runUntilQuiescent(FOREVER);

    assertThat(atB.texts()).containsExactly("twice", "twice");
    assertThat(atB.requests()).hasSize(2);
    // Two requests, each answered by a duplicated response: four responses reach A, one completes the future.
    assertThat(sim.log()).filteredOn(line -> line.contains("deliver " + B + " -> " + A + " RESPONSE")).hasSize(4);
    assertThat(completions).hasValue(1);
    assertThat(text(response.join())).isEqualTo("echo:ping");
  }

  @Test
  void duplicates_ownTheirBytes() {
    start(1, FaultPlan.none().withDuplicate(1.0));
    List<ByteBuffer> frames = new ArrayList<>();
    sim.network().transport(C).close();
    LocalTransport c = sim.network().transport(C);
    c.start(new RecordingReceiver() {
      @Override
      public void onMessage(NodeId from, ByteBuffer frame) {
        frames.add(frame);
        frame.put(0, (byte) 'X');
      }
    });
    sim.runUntilQuiescent(FOREVER);

    node(A).send(C, bytes("abc"));
    sim.runUntilQuiescent(FOREVER);

    assertThat(frames).hasSize(2).allSatisfy(frame -> assertThat(text(frame)).isEqualTo("Xbc"));
  }

  /* ---- partitions ---- */

  @Test
  void partition_blocksBothWays_andHealRestores() {
    start(1, FaultPlan.none());
    sim.partition(Set.of(A), Set.of(B, C));

    node(A).send(B, bytes("a->b"));
    node(B).send(A, bytes("b->a"));
    node(B).send(C, bytes("b->c"));
    CompletableFuture<ByteBuffer> blocked = node(A).request(C, bytes("ping"), Duration.ofSeconds(1));
    sim.runUntilQuiescent(FOREVER);

    assertThat(atA.messages()).isEmpty();
    assertThat(atB.messages()).isEmpty();
    assertThat(atC.texts()).containsExactly("b->c");
    assertThatThrownBy(blocked::join).hasCauseInstanceOf(TransportTimeoutException.class);
    assertThat(node(A).currentView().members()).containsExactly(A, B, C);

    sim.heal();
    node(A).send(B, bytes("healed"));
    CompletableFuture<ByteBuffer> after = node(A).request(C, bytes("ping"), Duration.ofSeconds(1));
    sim.runUntilQuiescent(FOREVER);
    assertThat(atB.texts()).containsExactly("healed");
    assertThat(text(after.join())).isEqualTo("echo:ping");
  }

  @Test
  void partition_losesFramesAlreadyInFlight() {
    start(1, FaultPlan.none().withDelay(Duration.ofMillis(5), Duration.ofMillis(5)));
    node(A).send(B, bytes("in flight"));
    sim.partition(Set.of(A), Set.of(B));
    sim.runUntilQuiescent(FOREVER);

    assertThat(atB.messages()).isEmpty();
    assertThat(sim.log()).anyMatch(line -> line.contains(" cut " + A + " -> " + B));
  }

  @Test
  void dropTrafficTo_losesIncomingOnly() {
    start(1, FaultPlan.none());
    sim.dropTrafficTo(B);

    node(A).send(B, bytes("lost"));
    node(B).send(A, bytes("out"));
    node(B).send(B, bytes("self"));
    sim.runUntilQuiescent(FOREVER);

    assertThat(atB.texts()).containsExactly("self");
    assertThat(atA.texts()).containsExactly("out");

    sim.restoreTrafficTo(B);
    node(A).send(B, bytes("back"));
    sim.runUntilQuiescent(FOREVER);
    assertThat(atB.texts()).containsExactly("self", "back");
  }

  /* ---- crash and restart ---- */

  @Test
  void crash_failsPendingRequestsBothWays_losesInFlight_andLeavesTheView() {
    start(1, FaultPlan.none().withDelay(Duration.ofMillis(5), Duration.ofMillis(5)));
    atA.answering((from, text) -> null);
    atB.answering((from, text) -> null);
    CompletableFuture<ByteBuffer> toB = node(A).request(B, bytes("to b"), FOREVER);
    CompletableFuture<ByteBuffer> fromB = node(B).request(A, bytes("from b"), FOREVER);
    sim.runUntilQuiescent(Duration.ofMillis(5));
    node(A).send(B, bytes("in flight to b"));
    node(B).send(C, bytes("in flight from b"));
    LocalTransport crashed = node(B);

    sim.crash(B);

    assertThat(fromB).isCompletedExceptionally();
    assertThatThrownBy(fromB::join).hasCauseInstanceOf(TransportClosedException.class);
    assertThatThrownBy(toB::join).hasCauseInstanceOf(NodeUnreachableException.class);
    assertThat(sim.network().view().members()).containsExactly(A, C);
    assertThat(crashed.isOpen()).isFalse();
    int heardByB = atB.messages().size() + atB.views().size();
    sim.runUntilQuiescent(FOREVER);
    assertThat(atB.messages().size() + atB.views().size()).isEqualTo(heardByB);
    assertThat(atC.messages()).isEmpty();
    assertThat(atA.views()).last().extracting(View::members).isEqualTo(List.of(A, C));
    assertThat(sim.clock().elapsed()).isEqualTo(Duration.ofMillis(5));
    assertThatThrownBy(() -> sim.network().transport(B)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void crash_losesTheNodesTimers() {
    start(1, FaultPlan.none());
    AtomicInteger fired = new AtomicInteger();
    sim.runtime(B).scheduler().schedule(fired::incrementAndGet, Duration.ofSeconds(1));
    sim.runtime().scheduler().schedule(fired::incrementAndGet, Duration.ofSeconds(1));

    sim.crash(B);
    sim.runUntilQuiescent(FOREVER);

    assertThat(fired).hasValue(1);
  }

  @Test
  void restart_rejoinsWithANewView() {
    start(1, FaultPlan.none());
    sim.crash(B);
    sim.runUntilQuiescent(FOREVER);
    long afterCrash = sim.network().view().viewId();

    RecordingReceiver reborn = new RecordingReceiver();
    LocalTransport fresh = sim.restart(B);
    fresh.start(reborn);
    sim.runUntilQuiescent(FOREVER);

    assertThat(fresh.currentView().viewId()).isGreaterThan(afterCrash);
    assertThat(fresh.currentView().members()).containsExactly(A, B, C);
    assertThat(reborn.views()).hasSize(1);
    assertThat(atA.views()).last().isEqualTo(fresh.currentView());
    CompletableFuture<ByteBuffer> response = node(A).request(B, bytes("again"), Duration.ofSeconds(1));
    sim.runUntilQuiescent(FOREVER);
    assertThat(text(response.join())).isEqualTo("echo:again");
    assertThat(atB.requests()).isEmpty();
    assertThatThrownBy(() -> sim.restart(B)).isInstanceOf(IllegalStateException.class);
  }

  /* ---- timers and confinement ---- */

  @Test
  void timers_runInVirtualTimeOrder_andCancelWorks() {
    start(1, FaultPlan.none());
    List<String> ran = new ArrayList<>();
    sim.runtime().scheduler().schedule(() -> ran.add("late"), Duration.ofMillis(20));
    sim.runtime().scheduler().schedule(() -> ran.add("early"), Duration.ofMillis(10));
    var cancelled = sim.runtime().scheduler().schedule(() -> ran.add("never"), Duration.ofMillis(15));

    assertThat(cancelled.cancel()).isTrue();
    sim.runUntilQuiescent(FOREVER);

    assertThat(ran).containsExactly("early", "late");
    assertThat(cancelled.cancel()).isFalse();
    assertThat(sim.clock().millis()).isEqualTo(SimClock.START_MILLIS + 20);
  }

  @Test
  void runUntilQuiescent_stopsAtTheLimit_whenATimerKeepsRescheduling() {
    start(1, FaultPlan.none());
    AtomicInteger ticks = new AtomicInteger();
    Runnable[] tick = new Runnable[1];
    tick[0] = () -> {
      ticks.incrementAndGet();
      sim.runtime().scheduler().schedule(tick[0], Duration.ofSeconds(1));
    };
    sim.runtime().scheduler().schedule(tick[0], Duration.ofSeconds(1));

    assertThat(sim.runUntilQuiescent(Duration.ofSeconds(10))).isFalse();
    assertThat(ticks).hasValue(10);
  }

  @Test
  void drivingFromAnotherThread_isRejected() throws Exception {
    start(1, FaultPlan.none());
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      try {
        sim.step();
        return null;
      } catch (IllegalStateException e) {
        return e;
      }
    });

    assertThat(failure.get(10, java.util.concurrent.TimeUnit.SECONDS)).hasMessageContaining("one thread");
  }
}
