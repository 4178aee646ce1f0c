package io.quire.testkit.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Renders a {@link RegisterVerdict} as text, with an ASCII timeline of the operations around the violation. */
final class Explanation {

  /** Operations completed before the culprit's invocation that the timeline shows, for context. */
  private static final int BEFORE = 8;
  private static final int MAX_ROWS = 30;
  private static final int WIDTH = 48;

  private Explanation() {
  }

  static String violation(Object key, RegisterOps ops, RegisterVerdict v, long initialValue) {
    Operation<?> culprit = ops.source.get(v.culprit());
    StringBuilder sb = new StringBuilder();
    sb.append("register ").append(key).append(" is not linearizable (initial value ").append(initialValue)
        .append(", ").append(ops.n).append(" relevant operations, ").append(v.statesExplored())
        .append(" states explored).\n");
    sb.append("The shortest failing prefix ends at the response of ").append(culprit.describe())
        .append(" [").append(culprit.invokeTime()).append(", ").append(culprit.responseTime()).append("]:\n")
        .append("no order of the operations invoked before then, consistent with real time, explains it.\n");
    sb.append("Longest partial linearization: ").append(v.bestDepth()).append(" operations");
    if (v.bestOps().length < v.bestDepth()) {
      sb.append(", last ").append(v.bestOps().length).append(" shown");
    }
    sb.append(":\n");
    if (v.bestDepth() == 0) {
      sb.append("  (none: stuck at the initial value ").append(initialValue).append(")\n");
    }
    int width = 0;
    for (int op : v.bestOps()) {
      width = Math.max(width, ops.source.get(op).describe().length());
    }
    for (int k = 0; k < v.bestOps().length; k++) {
      sb.append(String.format("  %-" + width + "s => %d%n", ops.source.get(v.bestOps()[k]).describe(),
          v.bestStates()[k]));
    }
    sb.append("Operations around it (overlapping it, and the last ").append(BEFORE)
        .append(" to complete before it was invoked):\n");
    sb.append(timeline(window(ops, v.culprit()), culprit));
    return sb.toString();
  }

  static String inconclusive(Object key, RegisterOps ops, RegisterVerdict v, long maxStates) {
    StringBuilder sb = new StringBuilder().append("register ").append(key).append(" is inconclusive: the search hit ")
        .append("its bound of ").append(maxStates).append(" states on ").append(ops.n)
        .append(" relevant operations before it could decide. No violation was found, but none was ruled out");
    if (v.culprit() >= 0) {
      sb.append(";\nthe search had got as far as the response of ").append(ops.source.get(v.culprit()).describe());
    }
    return sb.append(".\nRaise LinearizabilityChecker.withMaxStates, or record fewer open-outcome operations.\n")
        .toString();
  }

  /** The culprit, the operations overlapping it, and the last few that completed before it began. */
  private static List<Operation<?>> window(RegisterOps ops, int culprit) {
    long from = ops.invokeTime[culprit];
    long to = ops.responseTime[culprit];
    List<Operation<?>> overlapping = new ArrayList<>();
    List<Operation<?>> before = new ArrayList<>();
    for (int i = 0; i < ops.n; i++) {
      if (ops.invokeTime[i] <= to && ops.responseTime[i] >= from) {
        overlapping.add(ops.source.get(i));
      } else if (ops.responseTime[i] < from) {
        before.add(ops.source.get(i));
      }
    }
    before.sort(Comparator.comparingLong(Operation::responseTime));
    List<Operation<?>> rows = new ArrayList<>(before.subList(Math.max(0, before.size() - BEFORE), before.size()));
    rows.addAll(overlapping);
    rows.sort(Comparator.<Operation<?>>comparingLong(Operation::invokeTime).thenComparingLong(Operation::id));
    if (rows.size() > MAX_ROWS) {
      // Keep the rows nearest the culprit: open-outcome operations from long ago overlap everything.
      int at = rows.indexOf(ops.source.get(culprit));
      int start = Math.max(0, Math.min(at - MAX_ROWS / 2, rows.size() - MAX_ROWS));
      rows = rows.subList(start, start + MAX_ROWS);
    }
    return rows;
  }

  private static String timeline(List<Operation<?>> rows, Operation<?> culprit) {
    long t0 = Long.MAX_VALUE;
    long t1 = Long.MIN_VALUE;
    int labelWidth = 0;
    for (Operation<?> o : rows) {
      t0 = Math.min(t0, o.invokeTime());
      t1 = Math.max(t1, o.isIndefinite() ? o.invokeTime() : o.responseTime());
      labelWidth = Math.max(labelWidth, o.describe().length());
    }
    StringBuilder sb = new StringBuilder();
    String axis = "t=" + t0 + " .. " + t1;
    sb.append(String.format("  %-" + labelWidth + "s %s%n", "", axis));
    for (Operation<?> o : rows) {
      char[] bar = new char[WIDTH + 1];
      Arrays.fill(bar, ' ');
      int start = column(o.invokeTime(), t0, t1);
      if (o.isIndefinite()) {
        for (int c = start; c < WIDTH; c++) {
          bar[c] = '-';
        }
        bar[start] = '|';
        bar[WIDTH] = '>';
      } else {
        int end = column(o.responseTime(), t0, t1);
        for (int c = start; c <= end; c++) {
          bar[c] = '-';
        }
        bar[start] = '|';
        bar[end] = '|';
      }
      String span = "[" + o.invokeTime() + ", " + (o.isIndefinite() ? "?)" : o.responseTime() + "]");
      sb.append(String.format("  %-" + labelWidth + "s %s %s%s%n", o.describe(), new String(bar), span,
          o.id() == culprit.id() ? "  <- cannot be linearized" : ""));
    }
    return sb.toString();
  }

  private static int column(long t, long t0, long t1) {
    if (t1 <= t0) {
      return 0;
    }
    // In doubles: nanoTime spans can overflow a long product.
    return (int) Math.round((double) (t - t0) / (double) (t1 - t0) * (WIDTH - 1));
  }
}
