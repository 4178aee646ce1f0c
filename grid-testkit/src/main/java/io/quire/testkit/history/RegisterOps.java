package io.quire.testkit.history;

import java.util.List;

/**
 * The operations of one register, decoded into parallel arrays indexed by position (0..n-1, in invocation order).
 * Failed operations and reads with an open outcome are left out: neither can affect or observe the register.
 */
final class RegisterOps {

  static final byte READ = 0;
  static final byte WRITE = 1;
  static final byte CAS = 2;

  final List<? extends Operation<?>> source;
  final int n;
  final byte[] kind;
  /** Write: the value; CAS: the expected value. */
  final long[] a;
  /** CAS: the new value. */
  final long[] b;
  final long[] result;
  final boolean[] definite;
  final long[] invokeTime;
  /** {@link Long#MAX_VALUE} for operations with an open outcome. */
  final long[] responseTime;

  /** Decodes {@code ops}, which must already be filtered and sorted by invocation time. */
  RegisterOps(List<? extends Operation<?>> ops) {
    source = ops;
    n = ops.size();
    kind = new byte[n];
    a = new long[n];
    b = new long[n];
    result = new long[n];
    definite = new boolean[n];
    invokeTime = new long[n];
    responseTime = new long[n];
    for (int i = 0; i < n; i++) {
      Operation<?> o = ops.get(i);
      if (o.op() instanceof Op.Write w) {
        kind[i] = WRITE;
        a[i] = w.value();
      } else if (o.op() instanceof Op.Cas c) {
        kind[i] = CAS;
        a[i] = c.expected();
        b[i] = c.update();
      } else {
        kind[i] = READ;
      }
      definite[i] = o.status() == Operation.Status.OK;
      result[i] = o.result();
      invokeTime[i] = o.invokeTime();
      responseTime[i] = definite[i] ? o.responseTime() : Long.MAX_VALUE;
    }
  }

  /** True if the operation must be kept: failed ones and open reads cannot matter. */
  static boolean relevant(Operation<?> o) {
    if (o.status() == Operation.Status.FAILED) {
      return false;
    }
    return !(o.isIndefinite() && o.op() instanceof Op.Read);
  }
}
