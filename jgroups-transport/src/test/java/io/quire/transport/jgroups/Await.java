package io.quire.transport.jgroups;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits for futures: a generous cap that only a hung test reaches; no test measures time. */
final class Await {
  static final long CAP_SECONDS = 20;

  private Await() {}

  /**
   * Returns once {@code condition} holds, checking every 10 ms for at most the cap; for state that no callback
   * announces (counters).
   */
  static void until(java.util.function.BooleanSupplier condition, String what) {
    for (int i = 0; i < CAP_SECONDS * 100; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError("not within " + CAP_SECONDS + " s: " + what);
  }

  /** The future's value, or its failure unwrapped. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(CAP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + CAP_SECONDS + " s", e);
    }
  }
}
