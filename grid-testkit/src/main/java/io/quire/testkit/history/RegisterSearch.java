package io.quire.testkit.history;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Decides whether the operations of one register are linearizable: a Wing &amp; Gong depth-first search with Lowe's
 * memoization, laid out as in Porcupine.
 *
 * <p>Implementation notes. Every operation has a call event and, if its outcome is definite, a return event; the
 * events sit in a doubly linked list sorted by time. An operation may be linearized next iff its call comes before
 * the first remaining return (it was invoked before the earliest pending response), so the search walks the list
 * from the head, tries each call, and on reaching a return has run out of candidates and backtracks. Linearizing an
 * operation unlinks its call and return (dancing links), so the head of the list is always the next frontier, and
 * backtracking relinks them in reverse order. Operations with an open outcome have no return event: they never force
 * a backtrack and need not be linearized at all, which models "may or may not have happened" (not happening is the
 * same as happening after everything else, where nothing observes it). The search succeeds when every definite
 * operation is linearized.
 *
 * <p>At equal times a call sorts before a return, so touching operations count as concurrent: the checker prefers a
 * missed violation to a false alarm from a coarse clock.
 */
final class RegisterSearch {

  private static final int NIL = -1;
  private static final int SNAPSHOT = 10;

  private final RegisterOps ops;
  private final long initialValue;
  private final long maxStates;

  private final int head;
  private final int[] next;
  private final int[] prev;
  private final int[] eventOp;
  private final boolean[] eventIsCall;
  private final int[] callEvent;
  private final int[] returnEvent;

  RegisterSearch(RegisterOps ops, long initialValue, long maxStates) {
    this.ops = ops;
    this.initialValue = initialValue;
    this.maxStates = maxStates;
    int n = ops.n;
    int definiteCount = 0;
    for (int i = 0; i < n; i++) {
      definiteCount += ops.definite[i] ? 1 : 0;
    }
    int events = n + definiteCount;
    // Event codes: i for the call of op i, n + i for its return. Sort them into time order.
    int[] order = IntStream.range(0, 2 * n).filter(c -> c < n || ops.definite[c - n]).boxed()
        .sorted(Comparator.<Integer>comparingLong(c -> c < n ? ops.invokeTime[c] : ops.responseTime[c - n])
            .thenComparingInt(c -> c < n ? 0 : 1)
            .thenComparingInt(c -> c < n ? c : c - n))
        .mapToInt(Integer::intValue).toArray();
    head = events;
    next = new int[events + 1];
    prev = new int[events + 1];
    eventOp = new int[events];
    eventIsCall = new boolean[events];
    callEvent = new int[n];
    returnEvent = new int[n];
    Arrays.fill(returnEvent, NIL);
    for (int e = 0; e < events; e++) {
      int code = order[e];
      boolean call = code < n;
      int op = call ? code : code - n;
      eventOp[e] = op;
      eventIsCall[e] = call;
      if (call) {
        callEvent[op] = e;
      } else {
        returnEvent[op] = e;
      }
      next[e] = e + 1 < events ? e + 1 : NIL;
      prev[e] = e == 0 ? head : e - 1;
    }
    next[head] = events > 0 ? 0 : NIL;
  }

  /** Runs the search. */
  RegisterVerdict run() {
    int n = ops.n;
    int remaining = 0;
    for (int i = 0; i < n; i++) {
      remaining += ops.definite[i] ? 1 : 0;
    }
    VisitedSet visited = new VisitedSet();
    if (remaining == 0) {
      return RegisterVerdict.linearizable(0);
    }
    long[] words = new long[(n + 63) >>> 6];
    long hash = 0;
    int[] stackOp = new int[n];
    long[] stackState = new long[n];
    int depth = 0;
    long state = initialValue;
    int furthest = -1;
    int[] bestOps = new int[0];
    long[] bestStates = new long[0];
    int bestDepth = 0;

    int e = next[head];
    while (true) {
      if (eventIsCall[e]) {
        int i = eventOp[e];
        if (RegisterModel.accepts(ops, i, state)) {
          long after = RegisterModel.apply(ops, i, state);
          words[i >>> 6] |= 1L << i;
          hash ^= Zobrist.of(i);
          if (visited.add(words, after, hash)) {
            if (visited.size() > maxStates) {
              return RegisterVerdict.inconclusive(visited.size(), furthest < 0 ? NIL : eventOp[furthest]);
            }
            stackOp[depth] = i;
            stackState[depth] = state;
            depth++;
            state = after;
            lift(i);
            if (ops.definite[i] && --remaining == 0) {
              return RegisterVerdict.linearizable(visited.size());
            }
            e = next[head];
            continue;
          }
          words[i >>> 6] &= ~(1L << i);
          hash ^= Zobrist.of(i);
        }
        e = next[e];
      } else {
        // The earliest pending response: no remaining candidate could be linearized before it.
        if (e > furthest) {
          furthest = e;
          bestDepth = depth;
          int from = Math.max(0, depth - SNAPSHOT);
          bestOps = Arrays.copyOfRange(stackOp, from, depth);
          bestStates = new long[depth - from];
          for (int d = from; d < depth; d++) {
            bestStates[d - from] = d + 1 < depth ? stackState[d + 1] : state;
          }
        }
        if (depth == 0) {
          return RegisterVerdict.violation(visited.size(), eventOp[furthest], bestOps, bestStates, bestDepth);
        }
        depth--;
        int i = stackOp[depth];
        state = stackState[depth];
        unlift(i);
        words[i >>> 6] &= ~(1L << i);
        hash ^= Zobrist.of(i);
        if (ops.definite[i]) {
          remaining++;
        }
        e = next[callEvent[i]];
      }
    }
  }

  private void lift(int i) {
    unlink(callEvent[i]);
    if (returnEvent[i] != NIL) {
      unlink(returnEvent[i]);
    }
  }

  /** Exactly undoes {@link #lift}, which is why relinking goes in reverse order. */
  private void unlift(int i) {
    if (returnEvent[i] != NIL) {
      relink(returnEvent[i]);
    }
    relink(callEvent[i]);
  }

  private void unlink(int e) {
    next[prev[e]] = next[e];
    if (next[e] != NIL) {
      prev[next[e]] = prev[e];
    }
  }

  private void relink(int e) {
    next[prev[e]] = e;
    if (next[e] != NIL) {
      prev[next[e]] = e;
    }
  }
}
