package io.torsion.testing;

import io.torsion.Failure;
import io.torsion.spi.Poller;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The poller of an in-memory reactor loop: a queue of tasks (every socket event is one), run by the
 * owner thread in order. A reactor that runs parks while idle; a test that never runs its reactor
 * drains the queue with {@link #runPending()}, which makes everything deterministic.
 */
final class MemoryPoller implements Poller {
  private static final System.Logger LOG = System.getLogger(io.torsion.Reactor.class.getName());

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<MemorySocket> sockets =
      Collections.newSetFromMap(new IdentityHashMap<>()); // owner's
  private volatile Thread owner;
  private volatile boolean destroyed;

  @Override
  public void execute(Runnable task) {
    if (destroyed) {
      throw new IllegalStateException("the reactor loop has stopped");
    }
    tasks.add(task);
    wakeup();
  }

  /** Queues {@code task} unless the loop has stopped (a peer's loop may stop first). */
  void post(Runnable task) {
    if (!destroyed) {
      tasks.add(task);
      wakeup();
    }
  }

  @Override
  public void wakeup() {
    Thread thread = owner;
    if (thread != null && thread != Thread.currentThread()) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void owned(Thread thread) {
    owner = thread;
  }

  @Override
  public void poll(long waitNanos) {
    if (tasks.isEmpty()) {
      if (waitNanos == 0) {
        LockSupport.park(this);
      } else if (waitNanos > 0) {
        LockSupport.parkNanos(this, waitNanos);
      }
    }
    Runnable task;
    for (int i = 0, n = tasks.size(); i < n && (task = tasks.poll()) != null; i++) {
      run(task);
    }
  }

  /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
  int runPending() {
    int ran = 0;
    Runnable task;
    while ((task = tasks.poll()) != null) {
      run(task);
      ran++;
    }
    return ran;
  }

  boolean inLoop() {
    return owner == Thread.currentThread();
  }

  void track(MemorySocket socket) {
    sockets.add(socket);
  }

  void untrack(MemorySocket socket) {
    sockets.remove(socket);
  }

  @Override
  public void destroy() {
    for (MemorySocket socket : new ArrayList<>(sockets)) {
      socket.closeNow();
    }
    runPending();
    destroyed = true;
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      LOG.log(Level.WARNING, "an in-memory socket event threw; the reactor goes on", error);
    }
  }
}
