package io.torsion.spi;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One event-loop thread of an {@link AbstractReactor}: the transport's I/O poller, the timed calls
 * scheduled on that thread, and the connections pinned to it. A transport implements the four
 * I/O hooks; the turn of the loop (poll, then post-poll tasks, then due timers) is shared.
 *
 * <p>Everything but {@link #execute} and {@link #wakeup} is used on the owner thread only.
 */
public abstract class ReactorLoop {
  private static final System.Logger LOG = System.getLogger(io.torsion.Reactor.class.getName());

  private final int index;
  private final TimerQueue timers = new TimerQueue(System::nanoTime, ReactorLoop::timerFailed);
  // The buffer a connection of this loop is lending to its protocol now (reads are handled one at
  // a time per loop), kept here rather than in every connection.
  ByteBuffer lentView;
  private AbstractConnection firstConnection; // a list threaded through the connections themselves
  private int connectionCount;
  private volatile Thread owner;
  private List<Runnable> afterPoll = new ArrayList<>();

  /** Creates loop number {@code index} (0 is the main loop, driven by {@code run()}). */
  protected ReactorLoop(int index) {
    this.index = index;
  }

  /** Runs {@code task} on the owner thread, soon, in submission order. Safe from any thread. */
  public abstract void execute(Runnable task);

  /**
   * Makes a blocked {@link #poll} return, or the next one not block. Safe from any thread; must
   * never be lost, even when it races with the loop going to sleep (a stop request relies on it).
   */
  public abstract void wakeup();

  /**
   * Handles ready I/O and queued tasks once.
   *
   * @param waitNanos -1: do not block; 0: block until there is I/O, a task or a wakeup; more:
   *     block at most that long
   */
  protected abstract void poll(long waitNanos);

  /** Closes every channel and releases the poller; called once, on the owner thread. */
  protected abstract void destroy();

  /** Called on {@code thread} when it becomes this loop's owner, before it drives the loop. */
  protected void owned(Thread thread) {}

  /** Returns this loop's number; 0 is the main loop. */
  public final int index() {
    return index;
  }

  /** Returns the thread that drives this loop, or null before one does. */
  public final Thread owner() {
    return owner;
  }

  /** Returns true on this loop's thread. */
  public final boolean inLoop() {
    return owner == Thread.currentThread();
  }

  /** Returns the timed calls of this loop. */
  public final TimerQueue timers() {
    return timers;
  }

  /** Adds a connection that opened on this loop. */
  final void addConnection(AbstractConnection connection) {
    connection.previousInLoop = null;
    connection.nextInLoop = firstConnection;
    if (firstConnection != null) {
      firstConnection.previousInLoop = connection;
    }
    firstConnection = connection;
    connectionCount++;
  }

  /** Removes a connection of this loop; returns false if it was not there (removed already). */
  final boolean removeConnection(AbstractConnection connection) {
    if (connection.previousInLoop == null && firstConnection != connection) {
      return false;
    }
    if (connection.previousInLoop != null) {
      connection.previousInLoop.nextInLoop = connection.nextInLoop;
    } else {
      firstConnection = connection.nextInLoop;
    }
    if (connection.nextInLoop != null) {
      connection.nextInLoop.previousInLoop = connection.previousInLoop;
    }
    connection.previousInLoop = null;
    connection.nextInLoop = null;
    connectionCount--;
    return true;
  }

  /** Returns the connections open on this loop now, newest first: a copy, safe to close them while iterating. */
  final List<AbstractConnection> connections() {
    List<AbstractConnection> all = new ArrayList<>(connectionCount);
    for (AbstractConnection c = firstConnection; c != null; c = c.nextInLoop) {
      all.add(c);
    }
    return all;
  }

  final void own() {
    owner = Thread.currentThread();
    owned(owner);
  }

  /**
   * Runs {@code task} on this thread after the loop has next polled for I/O; for example, NIO
   * releases a closed channel's socket only at the selector's next select.
   */
  public final void afterNextPoll(Runnable task) {
    afterPoll.add(task);
    wakeup();
  }

  /** One turn: I/O and tasks (waiting at most until {@code deadline}), post-poll tasks, timers. */
  final void turn(long deadline) {
    List<Runnable> polled = null;
    if (!afterPoll.isEmpty()) {
      polled = afterPoll; // tasks added during this poll wait for the next one
      afterPoll = new ArrayList<>();
      deadline = Math.min(deadline, System.nanoTime());
    }
    long until = Math.min(timers.nextDueTime(), deadline);
    if (until == Long.MAX_VALUE) {
      poll(0);
    } else {
      long wait = until - System.nanoTime();
      poll(wait <= 0 ? -1 : wait);
    }
    if (polled != null) {
      for (Runnable task : polled) {
        AbstractReactor.runContained(task, "a post-poll task");
      }
    }
    timers.runDue(System.nanoTime());
  }

  /** Turns until {@code done} holds or {@code deadline} (System.nanoTime) passes. */
  final void driveUntil(BooleanSupplier done, long deadline) {
    while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
      turn(deadline);
    }
  }

  private static void timerFailed(Throwable error) {
    AbstractReactor.rethrowIfFatal(error);
    LOG.log(Level.WARNING, "a callLater task threw; the reactor goes on", error);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + index + ", " + (owner == null ? "unowned" : owner.getName())
        + ", connections=" + connectionCount + "]";
  }
}
