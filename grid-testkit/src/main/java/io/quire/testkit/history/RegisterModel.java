package io.quire.testkit.history;

/**
 * The sequential specification of one atomic register holding a {@code long}: what each operation may return in a
 * given state, and the state it leaves. Operations are pre-decoded into {@link RegisterOps} arrays so the search
 * does no allocation or type tests per step.
 */
final class RegisterModel {

  private RegisterModel() {
  }

  /** True if op {@code i}, applied in {@code state}, could have produced its recorded response. */
  static boolean accepts(RegisterOps ops, int i, long state) {
    switch (ops.kind[i]) {
      case RegisterOps.READ:
        return state == ops.result[i];              // indefinite reads are dropped before the search
      case RegisterOps.WRITE:
        return true;
      case RegisterOps.CAS:
        if (!ops.definite[i]) {
          return true;                              // either outcome is possible
        }
        return (ops.result[i] != 0) == (state == ops.a[i]);
      default:
        throw new AssertionError(ops.kind[i]);
    }
  }

  /** The state after op {@code i} is applied in {@code state}; only valid if {@link #accepts} said so. */
  static long apply(RegisterOps ops, int i, long state) {
    switch (ops.kind[i]) {
      case RegisterOps.READ:
        return state;
      case RegisterOps.WRITE:
        return ops.a[i];
      case RegisterOps.CAS:
        return state == ops.a[i] ? ops.b[i] : state;
      default:
        throw new AssertionError(ops.kind[i]);
    }
  }
}
