package io.torsion.transport.netty.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;
import io.torsion.spi.TimerQueue;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One event-loop thread of a reactor: a {@link ManualIoEventLoop} driven by its owner thread, the
 * timed calls scheduled on that thread, and the connections pinned to it. Everything but {@link
 * #execute} and {@link #wakeup} is used on the owner thread only.
 */
final class NettyLoop {
  private static final System.Logger LOG = System.getLogger(io.torsion.Reactor.class.getName());

  final int index;
  final ManualIoEventLoop io;
  final TimerQueue timers;
  final Set<NettyConnection> connections = new LinkedHashSet<>();
  private volatile Thread owner;
  private java.util.List<Runnable> afterPoll = new java.util.ArrayList<>();

  NettyLoop(int index, IoHandlerFactory factory) {
    this.index = index;
    this.io = new ManualIoEventLoop(null, null, factory);
    this.timers = new TimerQueue(System::nanoTime, NettyLoop::timerFailed);
  }

  Thread owner() {
    return owner;
  }

  boolean inLoop() {
    return owner == Thread.currentThread();
  }

  /** Makes the current thread the owner; once only. */
  void own() {
    io.setOwningThread(Thread.currentThread());
    owner = Thread.currentThread();
  }

  /** Runs {@code task} on the owner thread, soon. Safe from any thread. */
  void execute(Runnable task) {
    io.execute(task);
  }

  void wakeup() {
    io.wakeup();
  }

  /**
   * Runs {@code task} on this thread after the loop has next polled for I/O. NIO releases a closed
   * channel's socket only at the selector's next select, so "closed" is reported after that.
   */
  void afterNextPoll(Runnable task) {
    afterPoll.add(task);
    io.wakeup();
  }

  /** One turn: I/O and tasks (waiting at most until {@code deadline}), then due timers. */
  void turn(long deadline) {
    java.util.List<Runnable> polled = null;
    if (!afterPoll.isEmpty()) {
      polled = afterPoll; // tasks added during this poll wait for the next one
      afterPoll = new java.util.ArrayList<>();
      deadline = Math.min(deadline, System.nanoTime()); // poll without waiting
    }
    runIo(deadline);
    if (polled != null) {
      for (Runnable task : polled) {
        NettyReactor.runContained(task, "a post-poll task");
      }
    }
    timers.runDue(System.nanoTime());
  }

  private void runIo(long deadline) {
    long until = Math.min(timers.nextDueTime(), deadline);
    if (until == Long.MAX_VALUE) {
      io.run(0); // 0: block until I/O, a task or a wakeup
    } else {
      long wait = until - System.nanoTime();
      io.run(wait <= 0 ? -1 : wait); // -1: do not block
    }
  }

  /** Turns until {@code done} holds or {@code deadline} (System.nanoTime) passes. */
  void driveUntil(BooleanSupplier done, long deadline) {
    while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
      turn(deadline);
    }
  }

  /** Closes every channel and releases the I/O handler; on the owner thread. */
  void destroy() {
    io.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
    while (!io.isTerminated()) {
      io.runNow();
    }
  }

  private static void timerFailed(Throwable error) {
    Fatal.rethrowIfFatal(error);
    LOG.log(Level.WARNING, "a callLater task threw; the reactor goes on", error);
  }
}
