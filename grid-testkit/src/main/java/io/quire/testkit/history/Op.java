package io.quire.testkit.history;

/**
 * What a client asked a register (one page) to do. Values are {@code long}s: a page's version, or a counter.
 *
 * <p>Use the factories: {@link #read()}, {@link #write(long)}, {@link #cas(long, long)}.
 */
public sealed interface Op permits Op.Read, Op.Write, Op.Cas {

  /** A read; its response is the value read. */
  static Op read() {
    return Read.INSTANCE;
  }

  /** An unconditional write of {@code value}; its response is a bare acknowledgement. */
  static Op write(long value) {
    return new Write(value);
  }

  /** Compare-and-set; its response says whether the register held {@code expected} and now holds {@code update}. */
  static Op cas(long expected, long update) {
    return new Cas(expected, update);
  }

  /** Reads the register. */
  record Read() implements Op {
    private static final Read INSTANCE = new Read();

    @Override
    public String toString() {
      return "read";
    }
  }

  /**
   * Writes {@code value}.
   *
   * @param value the value written
   */
  record Write(long value) implements Op {
    @Override
    public String toString() {
      return "write(" + value + ")";
    }
  }

  /**
   * Sets the register to {@code update} iff it holds {@code expected}.
   *
   * @param expected the value the register must hold
   * @param update the value it then holds
   */
  record Cas(long expected, long update) implements Op {
    @Override
    public String toString() {
      return "cas(" + expected + ", " + update + ")";
    }
  }
}
