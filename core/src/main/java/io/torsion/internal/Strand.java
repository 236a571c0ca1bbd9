package io.torsion.internal;

import io.torsion.CancelledError;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The thread of one inline body ({@link io.torsion.Inline}), which takes turns with the loop it was
 * started on: {@link #resume} hands the loop to the body and waits until the body {@link #suspend}s
 * or ends, so only one of the two runs at a time, and each hand-off is a volatile write read by the
 * other side (happens-before). While it holds the loop the body counts as the loop's thread ({@link
 * Loop#inLoop}); what only the owner thread may do (call the transport) it hands to the thread
 * waiting for it, which runs it and hands the result back ({@link #forward}).
 *
 * <p>The thread is virtual where the JVM has virtual threads (Java 21+), so a suspended body holds
 * no platform thread; on Java 17 it is a platform thread, held for as long as the body lives and
 * then kept idle a minute for the next body. Each side spins briefly before it parks, since the
 * other often answers a hand-off at once. {@code -Dtorsion.inline.platformThreads=true} forces
 * platform threads.
 */
public final class Strand {
  private static final ThreadLocal<Strand> CURRENT = new ThreadLocal<>();
  private static final ThreadFactory VIRTUAL =
      Boolean.getBoolean("torsion.inline.platformThreads") ? null : virtualThreads();
  // Where there are no virtual threads, platform threads are kept a while for the next bodies:
  // starting one costs more than a hundred microseconds, taking an idle one a hand-off.
  private static final Executor THREADS = VIRTUAL != null ? Strand::startVirtual : platformPool();
  // A hand-off is often answered within microseconds: wait spinning that long, then park.
  private static final long SPIN_NANOS = 10_000;

  private final DefaultReactor reactor;
  private final Loop loop;
  private final Runnable main;
  private volatile Thread thread; // the body's, once it started
  private volatile Thread resumer; // the thread waiting for the body now
  private volatile boolean bodysTurn; // written by whichever side hands over, read by the other
  private volatile Supplier<?> call; // a call the body hands to its resumer; null once made
  private Object callResult; // written before call is cleared, read after
  private Throwable callError;
  private volatile boolean finished;
  private volatile boolean ended; // the reactor stopped: nothing will resume the body
  // The loop's stand-in before the body took it, put back by the body itself as it hands over: a
  // platform thread goes back to its pool once its body ends and may start a body on another loop
  // before the resumer wakes, and must not count as this loop's thread meanwhile.
  private volatile Thread standInBefore;
  private boolean started;

  Strand(DefaultReactor reactor, Loop loop, Runnable body) {
    this.reactor = reactor;
    this.loop = loop;
    this.main = () -> runBody(body);
  }

  /** Returns the strand whose body runs on this thread, or null. */
  public static Strand current() {
    return CURRENT.get();
  }

  /** Returns what kind of thread bodies run on, for the reactor's report. */
  static String describe() {
    return VIRTUAL != null
        ? "inline bodies: virtual threads (a waiting body holds no thread)"
        : "inline bodies: platform threads (one per body until it ends; virtual on Java 21+)";
  }

  /** Returns true on the thread that may resume this strand: one that holds its loop. */
  public boolean mayResumeHere() {
    return loop.inLoop();
  }

  /** Runs {@code task} on the strand's loop, soon; safe from any thread. */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /**
   * Hands the loop to the body, which starts or goes on from its {@link #suspend}, and waits,
   * making the calls it forwards, until it suspends again or ends. Called by a thread that holds
   * the loop ({@link #mayResumeHere}).
   *
   * @return true if the body has ended
   */
  public boolean resume() {
    if (finished) {
      return true;
    }
    Thread previous = loop.standIn;
    standInBefore = previous;
    boolean interrupted = false; // kept for the caller: a pending interrupt would make park spin
    resumer = Thread.currentThread();
    loop.standIn = thread;
    bodysTurn = true;
    try {
      if (!started) {
        started = true;
        THREADS.execute(main); // the body sets the loop's stand-in to its thread
      } else {
        LockSupport.unpark(thread);
      }
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (true) {
        Supplier<?> asked = call;
        if (asked != null) {
          try {
            callResult = loop.onOwner(asked);
          } catch (Throwable error) {
            callError = error;
          }
          call = null;
          LockSupport.unpark(thread);
          spinUntil = System.nanoTime() + SPIN_NANOS;
        } else if (!bodysTurn) {
          return finished;
        } else {
          interrupted |= pause(spinUntil);
        }
      }
    } finally {
      loop.standIn = previous;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Hands the loop back to the thread that resumed the body and waits to be resumed. Called by the
   * body only.
   *
   * @throws CancelledError if the reactor stopped, so that nothing will resume the body
   */
  public void suspend() {
    if (CURRENT.get() != this) {
      throw new IllegalStateException("suspend() outside the strand's own body");
    }
    if (!ended) {
      loop.standIn = standInBefore;
      bodysTurn = false;
      LockSupport.unpark(resumer);
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      boolean interrupted = false;
      while (!bodysTurn) {
        interrupted |= pause(spinUntil);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (ended) {
      throw new CancelledError("the reactor stopped while the inline body waited");
    }
  }

  /** Has the strand's resumer make {@code call} on the loop's owner thread; from the body only. */
  static <R> R forward(Loop loop, Supplier<R> call) {
    Strand strand = CURRENT.get();
    if (strand == null || strand.loop != loop || !strand.bodysTurn || strand.ended) {
      throw new IllegalStateException(
          "a transport call on '"
              + Thread.currentThread().getName()
              + "', which is not the reactor thread; hop with Reactor.callFromThread");
    }
    return strand.handOver(call);
  }

  @SuppressWarnings("unchecked")
  private <R> R handOver(Supplier<R> asked) {
    callResult = null;
    callError = null;
    call = asked;
    LockSupport.unpark(resumer);
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    boolean interrupted = false;
    while (call != null) {
      interrupted |= pause(spinUntil);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable error = callError;
    if (error != null) {
      callError = null;
      throw Strand.<RuntimeException>sneaky(error);
    }
    return (R) callResult;
  }

  /** Lets a suspended body go on its own after the reactor stopped: its await throws. */
  void end() {
    ended = true;
    bodysTurn = true;
    Thread waiting = thread;
    if (waiting != null) {
      LockSupport.unpark(waiting);
    }
  }

  private void runBody(Runnable body) {
    thread = Thread.currentThread();
    loop.standIn = thread; // the resumer waits: the loop is the body's
    CURRENT.set(this);
    try {
      body.run(); // catches what the user's code throws itself
    } finally {
      finished = true;
      CURRENT.remove();
      reactor.strandEnded(this);
      if (loop.standIn == thread) { // not so for a body let go when the reactor stopped
        loop.standIn = standInBefore;
      }
      bodysTurn = false;
      LockSupport.unpark(resumer);
    }
  }

  /**
   * Waits a moment for the other side: spinning until {@code spinUntil}, then parked. Returns (and
   * clears) the thread's interrupt, which the caller restores once it is done waiting.
   */
  private boolean pause(long spinUntil) {
    if (System.nanoTime() - spinUntil < 0) {
      Thread.onSpinWait();
      return false;
    }
    LockSupport.park(this);
    return Thread.interrupted();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable error) throws E {
    throw (E) error;
  }

  private static void startVirtual(Runnable body) {
    VIRTUAL.newThread(body).start();
  }

  /** Daemon platform threads, each kept a minute after its body ends for the next one. */
  private static Executor platformPool() {
    AtomicLong numbers = new AtomicLong();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        body -> {
          Thread thread = new Thread(body, "torsion-inline-" + numbers.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Returns a factory of virtual threads (Java 21+), or null where there are none. */
  private static ThreadFactory virtualThreads() {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> type = Class.forName("java.lang.Thread$Builder");
      builder =
          type.getMethod("name", String.class, long.class).invoke(builder, "torsion-inline-", 1L);
      return (ThreadFactory) type.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException absent) {
      return null; // Java 17 to 20 (preview only): platform threads
    }
  }

  @Override
  public String toString() {
    return "Strand["
        + (thread == null ? "not started" : thread.getName())
        + (finished ? ", ended" : ended ? ", abandoned" : bodysTurn ? ", running" : ", waiting")
        + "]";
  }
}
