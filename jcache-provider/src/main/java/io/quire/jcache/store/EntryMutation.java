package io.quire.jcache.store;

/**
 * Decides, from the current entry of one key, what becomes of it. {@link EntryStore#compute} runs it once, in the
 * calling thread, while it holds the write privilege of the key's bucket page: no other change of that key comes
 * between the read of {@code current} and the change returned. It may run user code (loaders, writers, entry
 * processors); an exception it throws leaves the entry unchanged and propagates to the caller of compute.
 *
 * <p>While it runs, the bucket page is locked: it must not call {@code compute} on the same store (refused with an
 * {@link IllegalStateException}, since on the same bucket the outer change would silently undo the inner one), nor
 * wait for another thread's compute on it. {@link EntryStore#get} is fine.
 *
 * @param <R> what compute returns to its caller
 */
@FunctionalInterface
public interface EntryMutation<R> {

  /**
   * @param current the key's entry, expired or not (the caller decides what expiry means), or null if there is none
   * @return the change to make and the result for the caller
   */
  Outcome<R> apply(StoredEntry current);

  /** A change and the result that {@link EntryStore#compute} returns. */
  record Outcome<R>(Change change, R result) {
    /** Rejects a null change. */
    public Outcome {
      java.util.Objects.requireNonNull(change, "change");
    }
  }
}
