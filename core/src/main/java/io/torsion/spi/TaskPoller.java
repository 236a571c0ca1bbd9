package io.torsion.spi;

import io.torsion.Failure;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A poller for transports whose I/O completes on other threads (the JDK's asynchronous channels,
 * in-memory sockets): a queue of tasks, into which completions post their events, run in order by
 * the owner thread, which parks while the queue is empty. A transport extends it with its sockets
 * and closes them in {@link #destroy()} before calling this class's.
 */
public class TaskPoller implements Poller {
  /** At most this many tasks per poll, so that timers and I/O interleave under load. */
  private static final int TASKS_PER_POLL = 4096;

  private static final System.Logger LOG = System.getLogger("io.torsion.Reactor");

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile Thread owner;
  private volatile boolean destroyed;

  /** Creates an empty poller. */
  public TaskPoller() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException once the poller is destroyed
   */
  @Override
  public void execute(Runnable task) {
    if (!post(task)) {
      throw new IllegalStateException("the reactor loop has stopped");
    }
  }

  /** Queues {@code task} unless the poller is destroyed; returns whether it was queued. */
  public final boolean post(Runnable task) {
    if (destroyed) {
      return false;
    }
    tasks.add(task);
    wakeup();
    return true;
  }

  @Override
  public final void wakeup() {
    Thread thread = owner;
    if (thread != null && thread != Thread.currentThread()) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void owned(Thread thread) {
    owner = thread;
  }

  /**
   * Runs queued tasks, at most 4096 (then timers get their turn); what one throws escapes to the
   * loop.
   */
  @Override
  public final void poll(long waitNanos) {
    if (tasks.isEmpty()) {
      if (waitNanos == 0) {
        LockSupport.park(this);
      } else if (waitNanos > 0) {
        LockSupport.parkNanos(this, waitNanos);
      }
    }
    Runnable task;
    for (int i = 0; i < TASKS_PER_POLL && (task = tasks.poll()) != null; i++) {
      task.run();
    }
  }

  /**
   * Runs queued tasks, and those they queue, until none is left, on the calling thread (the
   * owner's); what a task throws is logged and the rest run. Returns how many ran.
   */
  public final int runPending() {
    int ran = 0;
    Runnable task;
    while ((task = tasks.poll()) != null) {
      ran++;
      try {
        task.run();
      } catch (Throwable error) {
        Failure.rethrowIfFatal(error);
        LOG.log(Level.WARNING, "a socket event threw; the loop goes on", error);
      }
    }
    return ran;
  }

  /**
   * Runs what is left, then refuses new tasks. A subclass closes its sockets first, then calls
   * this.
   */
  @Override
  public void destroy() {
    runPending();
    destroyed = true;
  }
}
