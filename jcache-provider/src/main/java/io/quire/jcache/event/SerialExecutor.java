package io.quire.jcache.event;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: an asynchronous listener sees the events of a
 * cache in the order they happened, and never two at once.
 *
 * <p>Lock discipline: {@code tasks} and {@code running} are guarded by {@code this}.
 */
final class SerialExecutor implements Executor {
  private final Executor shared;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor shared) {
    this.shared = shared;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    shared.execute(this::drain);
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run();
    }
  }
}
