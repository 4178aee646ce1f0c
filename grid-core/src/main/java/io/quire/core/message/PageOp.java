package io.quire.core.message;

import static java.util.Objects.requireNonNull;

/**
 * A write that can travel to a page's owner: data, never code. The owner applies it to the page's current bytes.
 * A caller's own function ({@link io.quire.core.memory.PageUpdate}) cannot travel, so such a write migrates
 * ownership to the caller instead.
 */
public sealed interface PageOp {

  /** Writes {@code bytes} at {@code offset}, keeping the rest of the page. */
  record WriteBytes(int offset, Bytes bytes) implements PageOp {
    public WriteBytes {
      requireNonNull(bytes, "bytes");
      if (offset < 0) {
        throw new IllegalArgumentException("negative offset " + offset);
      }
    }
  }

  /**
   * A registered operation: {@code operationId} names code that every node has registered under that id,
   * {@code arguments} are its encoded arguments.
   */
  record Registered(int operationId, Bytes arguments) implements PageOp {
    public Registered {
      requireNonNull(arguments, "arguments");
    }
  }
}
