package io.torsion.internal;

import io.torsion.Failure;
import io.torsion.Reactor;
import io.torsion.spi.Network;
import io.torsion.spi.Poller;
import io.torsion.spi.TimerQueue;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One event-loop thread of a {@link DefaultReactor}: the transport's {@link Poller}, the timed
 * calls scheduled on that thread, and the connections pinned to it. A turn of the loop is: poll
 * (I/O and queued tasks), then post-poll tasks, then due timers. What a poller lets escape from the
 * tasks it runs is logged and contained here.
 *
 * <p>Threads: {@link #execute} and {@link #wakeup} from any thread; {@code owner} is written once
 * by the thread that takes the loop, read by any; everything else belongs to the owner thread, or
 * to the inline body that holds the loop while the owner waits ({@code standIn}, see {@link
 * Strand}).
 */
final class Loop {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private final int index;
  private final TimerQueue timers = new TimerQueue(System::nanoTime, Loop::timerFailed);
  private final Poller poller;
  // The buffer a connection of this loop is lending to its protocol now (reads are handled one at
  // a time per loop), kept here rather than in every connection.
  ByteBuffer lentView;
  // The buffers TLS decrypts into and encrypts from, shared by this loop's TLS connections (one
  // works at a time; the flags say when one is in use, so that a nested use takes its own).
  private ByteBuffer tlsPlain;
  private ByteBuffer tlsCipher;
  private ByteBuffer tlsPlainDirect; // the same, for engines that work on direct buffers
  private ByteBuffer tlsCipherDirect;
  boolean tlsPlainInUse;
  boolean tlsCipherInUse;
  private Connection firstConnection; // a list threaded through the connections themselves
  private int connectionCount;
  private volatile Thread owner;
  // The inline body that holds this loop now while the thread that resumed it waits (see Strand).
  volatile Thread standIn;
  private List<Runnable> afterPoll = new ArrayList<>();

  /**
   * Creates loop number {@code index} (0 is the main loop, driven by {@code run()}) on {@code
   * network}.
   */
  Loop(int index, Network network) {
    this.index = index;
    this.poller = network.newPoller(index, timers);
  }

  /** Runs {@code task} on the owner thread, soon, in submission order. Safe from any thread. */
  void execute(Runnable task) {
    poller.execute(task);
  }

  /** Wakes the loop if it is blocked in a poll. Safe from any thread. */
  void wakeup() {
    poller.wakeup();
  }

  /**
   * Returns the loop's buffer for decrypted bytes (direct or not), cleared, of at least twice
   * {@code least}.
   */
  ByteBuffer tlsPlain(int least, boolean direct) {
    ByteBuffer buffer = direct ? tlsPlainDirect : tlsPlain;
    if (buffer == null || buffer.capacity() < 2 * least) {
      buffer = allocate(Math.max(2 * least, TLS_BUFFER), direct);
      if (direct) {
        tlsPlainDirect = buffer;
      } else {
        tlsPlain = buffer;
      }
    }
    return buffer.clear();
  }

  /**
   * Returns the loop's buffer for records (direct or not), cleared, of at least four times {@code
   * least}.
   */
  ByteBuffer tlsCipher(int least, boolean direct) {
    ByteBuffer buffer = direct ? tlsCipherDirect : tlsCipher;
    if (buffer == null || buffer.capacity() < 4 * least) {
      buffer = allocate(Math.max(4 * least, TLS_BUFFER), direct);
      keepTlsCipher(buffer);
    }
    return buffer.clear();
  }

  /** Keeps {@code grown} as the loop's buffer for records, if the engine needed a larger one. */
  void keepTlsCipher(ByteBuffer grown) {
    ByteBuffer current = grown.isDirect() ? tlsCipherDirect : tlsCipher;
    if (current == null || grown.capacity() > current.capacity()) {
      if (grown.isDirect()) {
        tlsCipherDirect = grown;
      } else {
        tlsCipher = grown;
      }
    }
  }

  private static ByteBuffer allocate(int size, boolean direct) {
    return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
  }

  private static final int TLS_BUFFER = 64 * 1024;

  Poller poller() {
    return poller;
  }

  int index() {
    return index;
  }

  /** Returns the thread that drives this loop, or null before one does. */
  Thread owner() {
    return owner;
  }

  /**
   * Returns true on this loop's thread, or in the inline body that holds the loop now (its owner
   * waits meanwhile, so the two never run at once).
   */
  boolean inLoop() {
    Thread current = Thread.currentThread();
    return owner == current || standIn == current;
  }

  /** Returns true on the owner thread itself: the only one that may call the transport. */
  boolean onOwner() {
    return owner == Thread.currentThread();
  }

  /**
   * Runs {@code call} on the owner thread and returns what it returns: at once on the owner; from
   * an inline body holding the loop, by handing it to the thread that waits for the body (which the
   * transport's objects, bound to the owner thread, need).
   */
  <R> R onOwner(Supplier<R> call) {
    if (onOwner()) {
      return call.get();
    }
    return Strand.forward(this, call);
  }

  /** {@link #onOwner(Supplier)} for a call without a result. */
  void runOnOwner(Runnable call) {
    if (onOwner()) {
      call.run();
      return;
    }
    Strand.forward(
        this,
        () -> {
          call.run();
          return null;
        });
  }

  /** Returns the timed calls of this loop. */
  TimerQueue timers() {
    return timers;
  }

  /** Adds a connection that opened on this loop. */
  void addConnection(Connection connection) {
    connection.previousInLoop = null;
    connection.nextInLoop = firstConnection;
    if (firstConnection != null) {
      firstConnection.previousInLoop = connection;
    }
    firstConnection = connection;
    connectionCount++;
  }

  /** Removes a connection of this loop; returns false if it was not there (removed already). */
  boolean removeConnection(Connection connection) {
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

  /**
   * Returns the connections open on this loop now, newest first: a copy, safe to close them while
   * iterating.
   */
  List<Connection> connections() {
    List<Connection> all = new ArrayList<>(connectionCount);
    for (Connection c = firstConnection; c != null; c = c.nextInLoop) {
      all.add(c);
    }
    return all;
  }

  /** Makes the calling thread the owner. */
  void own() {
    owner = Thread.currentThread();
    poller.owned(owner);
  }

  /**
   * Runs {@code task} on this thread after the loop has next polled for I/O; for example, NIO
   * releases a closed channel's socket only at the selector's next select.
   */
  void afterNextPoll(Runnable task) {
    afterPoll.add(task);
    wakeup();
  }

  /** One turn: I/O and tasks (waiting at most until {@code deadline}), post-poll tasks, timers. */
  void turn(long deadline) {
    List<Runnable> polled = null;
    if (!afterPoll.isEmpty()) {
      polled = afterPoll; // tasks added during this poll wait for the next one
      afterPoll = new ArrayList<>();
      deadline = Math.min(deadline, System.nanoTime());
    }
    long until = Math.min(timers.nextDueTime(), deadline);
    long wait = 0; // block until there is I/O, a task or a wakeup
    if (until != Long.MAX_VALUE) {
      long left = until - System.nanoTime();
      wait = left <= 0 ? -1 : left;
    }
    try {
      poller.poll(wait);
    } catch (Throwable error) {
      // A task or handler the poller ran threw: the rest of its queue waits for the next turn.
      Failure.rethrowIfFatal(error);
      LOG.log(Level.WARNING, "an I/O event handler threw; the reactor goes on", error);
    }
    if (polled != null) {
      for (Runnable task : polled) {
        Contained.run(task, "a post-poll task");
      }
    }
    timers.runDue(System.nanoTime());
  }

  /** Turns until {@code done} holds or {@code deadline} (System.nanoTime) passes. */
  void driveUntil(BooleanSupplier done, long deadline) {
    while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
      turn(deadline);
    }
  }

  /** Runs {@code turns} on the owner thread, as its poller asks (see {@link Poller#drive}). */
  void drive(Runnable turns) {
    poller.drive(turns);
  }

  /** Closes the poller and everything on it; once, on the owner thread. */
  void destroy() {
    poller.destroy();
  }

  private static void timerFailed(Throwable error) {
    Failure.rethrowIfFatal(error);
    LOG.log(Level.WARNING, "a callLater task threw; the reactor goes on", error);
  }

  @Override
  public String toString() {
    return "Loop["
        + index
        + ", "
        + (owner == null ? "unowned" : owner.getName())
        + ", connections="
        + connectionCount
        + "]";
  }
}
