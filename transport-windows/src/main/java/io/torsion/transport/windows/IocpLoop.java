package io.torsion.transport.windows;

import io.torsion.spi.Poller;
import io.torsion.spi.TimerQueue;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The poller of one reactor loop for the IOCP transport: a queue of tasks, into which the channel
 * group's completion handlers post every I/O event, run by the owner thread; it parks while idle.
 */
final class IocpLoop implements Poller {
  private static final System.Logger LOG = System.getLogger(io.torsion.Reactor.class.getName());

  /** At most this many tasks per poll, so that timers and I/O interleave under load. */
  private static final int TASKS_PER_POLL = 4096;

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<Channel> channels = Collections.newSetFromMap(new IdentityHashMap<>());
  private final AsynchronousChannelGroup group; // closed by the main loop only
  final TimerQueue timers; // this loop's timed calls, run on its thread
  private volatile Thread owner;
  private volatile boolean destroyed;

  /** Creates a loop; the main loop's closes {@code group} when destroyed, the others get null. */
  IocpLoop(AsynchronousChannelGroup group, TimerQueue timers) {
    this.group = group;
    this.timers = timers;
  }

  @Override
  public void owned(Thread thread) {
    owner = thread;
  }

  @Override
  public void execute(Runnable task) {
    if (destroyed) {
      throw new IllegalStateException("the reactor loop has stopped");
    }
    tasks.add(task);
    wakeup();
  }

  @Override
  public void wakeup() {
    Thread thread = owner;
    if (thread != null && thread != Thread.currentThread()) {
      LockSupport.unpark(thread);
    }
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
    for (int i = 0; i < TASKS_PER_POLL && (task = tasks.poll()) != null; i++) {
      task.run(); // what it throws, the reactor's loop contains
    }
  }

  /** Tracks a channel of this loop, so that destroying the loop closes it. */
  void track(Channel channel) {
    channels.add(channel);
  }

  void untrack(Channel channel) {
    channels.remove(channel);
  }

  @Override
  public void destroy() {
    for (Channel channel : new ArrayList<>(channels)) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing for shutdown: nothing to do about it
      }
    }
    channels.clear();
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.DEBUG, "an I/O event handler threw while the loop stopped: {0}", e);
      }
    }
    destroyed = true;
    if (group != null) {
      try {
        group.shutdownNow();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing the asynchronous channel group: {0}", e);
      }
    }
  }
}
