package io.quire.jcache.store;

/**
 * An out-of-line range that does not hold what its ref names: freed after the reader read the bucket (the reader
 * goes back to the bucket), or damaged (when the bucket still points to it). Internal to the store.
 */
final class RangeUnreadableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Ref ref;

  RangeUnreadableException(Ref ref, String why) {
    super("out-of-line range " + ref.start() + " (" + ref.length() + " bytes) cannot be read: " + why);
    this.ref = ref;
  }

  RangeUnreadableException(Ref ref, String why, Throwable cause) {
    super("out-of-line range " + ref.start() + " (" + ref.length() + " bytes) cannot be read: " + why, cause);
    this.ref = ref;
  }

  Ref ref() {
    return ref;
  }
}
