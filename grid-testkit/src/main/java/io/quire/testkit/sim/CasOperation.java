package io.quire.testkit.sim;

import io.quire.core.coherence.RegisteredOperation;
import java.nio.ByteBuffer;

/**
 * Compare-and-set of the long at offset 0 of a page, as a registered operation: arguments are the expected and the
 * new value; the result is one byte, 1 when it swapped.
 */
public final class CasOperation implements RegisteredOperation {
  /** Its id in simulations. */
  public static final int ID = 1;

  @Override
  public int id() {
    return ID;
  }

  @Override
  public Outcome apply(byte[] page, byte[] arguments) {
    ByteBuffer args = ByteBuffer.wrap(arguments);
    long expected = args.getLong();
    long update = args.getLong();
    ByteBuffer content = ByteBuffer.wrap(page);
    if (content.getLong(0) != expected) {
      return new Outcome(null, new byte[] {0});
    }
    content.putLong(0, update);
    return new Outcome(page, new byte[] {1});
  }

  /** The encoded arguments. */
  public static byte[] arguments(long expected, long update) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(expected).putLong(update).array();
  }
}
