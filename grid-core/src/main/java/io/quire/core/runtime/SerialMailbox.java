package io.quire.core.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A serial executor that runs a task on the thread that submits it when no other thread is running the mailbox's
 * tasks, and otherwise queues it for whichever thread is: tasks never run concurrently and run in submission order.
 *
 * <p>Why: a hand-off to a thread of our own costs a thread wake-up, tens of microseconds on the small VMs we run on,
 * and a cluster read miss or a write with a backup crossed four of them beyond the network round trip (the
 * caller's thread to the engine, the receiving thread to the engine on each side, the engine back to the caller).
 * Running the engine on the thread that brings its work removes all but the last.
 *
 * <p>What a task may do: it runs on whatever thread submitted it (an application thread, a transport's receiving
 * thread, a timer), so it must not wait for anything that needs the network or another task of this mailbox; local
 * work, including a disk write, is fine. A task submitted by a running task runs after it, never inside it. A
 * thread runs at most {@value #MAX_INLINE} tasks in one go, then hands the rest to the mailbox's own thread and
 * returns to its caller. A task's exception is logged and does not stop the next task. A caller's interrupt status is
 * cleared while it runs tasks and restored afterwards, so an interrupted application thread does not interrupt the
 * engine's disk writes (an interrupted {@code FileChannel} closes for everyone).
 *
 * <p>Concurrency: any thread submits to {@code tasks} (lock-free). Only the thread that set {@code running} from false
 * to true runs tasks, until it sets it back, so whatever the tasks share needs no lock: each compareAndSet and set of
 * {@code running} orders one runner's writes before the next runner's reads.
 */
public final class SerialMailbox implements Executor {
  private static final Logger LOG = Logger.getLogger(SerialMailbox.class.getName());
  /** Tasks a submitting thread runs in one go before it hands the rest to the mailbox's thread. */
  public static final int MAX_INLINE = 64;

  private final String name;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  // True while one thread runs tasks; see the class comment.
  private final AtomicBoolean running = new AtomicBoolean();
  // Runs what submitters left: the rest of a long queue, and tasks submitted with executeLater.
  private final ExecutorService thread;
  private volatile boolean shutdown;

  /** @param name the name of the mailbox's own thread (a daemon), and of the mailbox in log lines */
  public SerialMailbox(String name) {
    this.name = requireNonNull(name, "name");
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code task} after every task submitted before it: here, before this call returns, if no other thread is
   * running the mailbox's tasks (and then perhaps some tasks submitted by others too), else on the thread that is.
   *
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public void execute(Runnable task) {
    enqueue(task);
    runHere();
  }

  /**
   * Runs {@code task} after every task submitted before it, never on this thread: for a caller that must not run
   * tasks itself (one holding a lock the tasks take, or one that promised its own caller no callback runs inside).
   *
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  public void executeLater(Runnable task) {
    enqueue(task);
    wakeThread();
  }

  /** Whether a thread is running tasks now: for tests, which need the mailbox idle to see who runs next. */
  public boolean busy() {
    return running.get();
  }

  /** Refuses new tasks; those already submitted still run. */
  public void shutdown() {
    shutdown = true;
    wakeThread();
    thread.shutdown();
  }

  /**
   * Waits until every submitted task has run, at most {@code timeout}, after {@link #shutdown()}.
   *
   * @return whether they all ran
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    if (!thread.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    // A submitter may still be running the last tasks on its own thread. Polled in 1 ms steps, counted rather than
    // timed: grid-core takes no time from the system clock outside SystemRuntime.
    long steps = Math.max(1, timeout.toMillis());
    while (running.get() || !tasks.isEmpty()) {
      if (steps-- <= 0) {
        return false;
      }
      if (!running.get()) {
        runHere();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return true;
  }

  @Override
  public String toString() {
    return "SerialMailbox[" + name + (shutdown ? ", shut down" : "") + ", " + tasks.size() + " queued]";
  }

  private void enqueue(Runnable task) {
    requireNonNull(task, "task");
    if (shutdown) {
      throw new RejectedExecutionException(name + " is shut down");
    }
    tasks.add(task);
  }

  private void wakeThread() {
    try {
      thread.execute(this::runAll);
    } catch (RejectedExecutionException shutDown) {
      // Shut down: tasks still queued are run by the next submitter or by awaitTermination.
    }
  }

  /** Runs up to MAX_INLINE tasks if no other thread is running them; hands the rest to the mailbox's thread. */
  private void runHere() {
    boolean interrupted = false;
    int ran = 0;
    try {
      // Retried after letting go: a task submitted while the last one ran may have found `running` still true.
      while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
        try {
          Runnable task;
          while (ran < MAX_INLINE && (task = tasks.poll()) != null) {
            interrupted |= Thread.interrupted();
            ran++;
            runTask(task);
          }
        } finally {
          running.set(false);
        }
        if (ran >= MAX_INLINE) {
          wakeThread();
          return;
        }
      }
    } finally {
      if (interrupted | Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** On the mailbox's thread: runs tasks until the queue is empty, or until another thread runs them. */
  private void runAll() {
    while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
      try {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          runTask(task);
        }
      } finally {
        running.set(false);
      }
    }
  }

  private void runTask(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      // A single-thread executor would lose its thread and go on with a new one; this goes on with the next task.
      LOG.log(Level.SEVERE, name + ": a task failed; the next one still runs", e);
    }
  }
}
