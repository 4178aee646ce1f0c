package io.quire.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates histories that are linearizable by construction: random clients drive real atomic registers in virtual
 * time, and each operation takes effect at one instant strictly inside its interval. Every written value is fresh
 * (1, 2, 3, ...), so a value identifies the write that produced it, which the mutation tests rely on.
 *
 * <p>The result is a list of completed {@link Operation}s, so a test can mutate one before replaying it into a
 * {@link History}.
 */
final class AtomicRegisterSimulation {

  private final SplittableRandom random;
  private final int clients;
  private final int registers;
  private final double unknownRate;

  private final Map<String, Long> values = new HashMap<>();
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<Operation<String>> done = new ArrayList<>();
  private final long[] lastSeen;
  private long nextValue = 1;
  private long seq;
  private long nextId;

  /** A simulation of {@code clients} clients on {@code registers} registers; {@code unknownRate} of writes time out. */
  AtomicRegisterSimulation(long seed, int clients, int registers, double unknownRate) {
    this.random = new SplittableRandom(seed);
    this.clients = clients;
    this.registers = registers;
    this.unknownRate = unknownRate;
    this.lastSeen = new long[clients];
  }

  /** Runs until every client has completed {@code opsPerClient} operations; returns them in invocation order. */
  List<Operation<String>> run(int opsPerClient) {
    int[] remaining = new int[clients];
    for (int c = 0; c < clients; c++) {
      remaining[c] = opsPerClient;
      queue.add(new Event(random.nextInt(3), seq++, c, null, Phase.INVOKE));
    }
    while (!queue.isEmpty()) {
      Event ev = queue.poll();
      switch (ev.phase) {
        case INVOKE -> {
          if (remaining[ev.client]-- > 0) {
            Operation<String> o = new Operation<>(nextId++, ev.client, "R" + random.nextInt(registers),
                randomOp(ev.client), ev.time, Operation.Status.PENDING, 0, Long.MAX_VALUE);
            queue.add(new Event(ev.time + 1 + random.nextInt(5), seq++, ev.client, o, Phase.EFFECT));
          }
        }
        case EFFECT -> takeEffect(ev);
        case RESPOND -> {
          done.add(ev.op);
          queue.add(new Event(ev.time + 1 + random.nextInt(3), seq++, ev.client, null, Phase.INVOKE));
        }
        default -> throw new AssertionError(ev.phase);
      }
    }
    done.sort(java.util.Comparator.comparingLong(Operation::id));
    return done;
  }

  private Op randomOp(int client) {
    int roll = random.nextInt(10);
    if (roll < 4) {
      return Op.read();
    } else if (roll < 7) {
      return Op.write(nextValue++);
    }
    return Op.cas(lastSeen[client], nextValue++);
  }

  private void takeEffect(Event ev) {
    Operation<String> o = ev.op;
    long current = values.getOrDefault(o.key(), 0L);
    boolean timesOut = !(o.op() instanceof Op.Read) && random.nextDouble() < unknownRate;
    if (timesOut && random.nextBoolean()) {
      // Timed out before it applied, and never will: the client gives up at once.
      queue.add(new Event(ev.time, seq++, ev.client, o.completed(Operation.Status.UNKNOWN, 0, Long.MAX_VALUE),
          Phase.RESPOND));
      return;
    }
    long result = 0;
    if (o.op() instanceof Op.Write w) {
      values.put(o.key(), w.value());
    } else if (o.op() instanceof Op.Cas c) {
      result = current == c.expected() ? 1 : 0;
      if (result == 1) {
        values.put(o.key(), c.update());
      }
      lastSeen[ev.client] = result == 1 ? c.update() : current;
    } else {
      result = current;
      lastSeen[ev.client] = current;
    }
    Operation<String> completed = timesOut
        ? o.completed(Operation.Status.UNKNOWN, 0, Long.MAX_VALUE)
        : o.completed(Operation.Status.OK, result, ev.time + 1 + random.nextInt(5));
    long respondAt = timesOut ? ev.time : completed.responseTime();
    queue.add(new Event(respondAt, seq++, ev.client, completed, Phase.RESPOND));
  }

  /** Replays {@code ops} into a fresh history, as the clients would have recorded them. */
  static History<String> replay(List<Operation<String>> ops) {
    History<String> history = new History<>();
    for (Operation<String> o : ops) {
      long id = history.invoke(o.clientId(), o.key(), o.op(), o.invokeTime());
      if (o.status() == Operation.Status.UNKNOWN) {
        history.unknown(id);
      } else if (o.op() instanceof Op.Read) {
        history.ok(id, o.result(), o.responseTime());
      } else if (o.op() instanceof Op.Cas) {
        history.ok(id, o.result() != 0, o.responseTime());
      } else {
        history.ok(id, o.responseTime());
      }
    }
    return history;
  }

  private enum Phase { INVOKE, EFFECT, RESPOND }

  private record Event(long time, long seq, int client, Operation<String> op, Phase phase)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(seq, other.seq);
    }
  }
}
