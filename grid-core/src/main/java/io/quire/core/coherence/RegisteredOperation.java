package io.quire.core.coherence;

/**
 * A page write that every node knows by id, so a writer can ship it to the page's owner as data (its id and encoded
 * arguments) instead of moving the page. Implementations must be deterministic and side-effect free: the owner may
 * apply them to any copy, once per request.
 */
public interface RegisteredOperation {

  /** The id the operation travels under; the same on every node. */
  int id();

  /**
   * Applies the operation.
   *
   * @param page a fresh copy of the page's full bytes, which the operation may modify
   * @param arguments the encoded arguments
   * @return the new page content (null: the page is unchanged) and the result to send back
   */
  Outcome apply(byte[] page, byte[] arguments);

  /**
   * What an operation did.
   *
   * @param newContent the page's new bytes, or null when it leaves the page as it was
   * @param result bytes for the caller
   */
  record Outcome(byte[] newContent, byte[] result) {}
}
