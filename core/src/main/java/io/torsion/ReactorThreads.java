package io.torsion;

import java.util.concurrent.Callable;

/**
 * Threads the reactor's way: Twisted's {@code IReactorThreads}. Blocking work goes to a bounded
 * pool of worker threads ({@code torsion-pool-N}, shut down with the reactor) and its result comes
 * back to the reactor thread; other threads reach the reactor with {@link #callFromThread}.
 *
 * <pre>{@code
 * reactor.deferToThread(() -> Files.readString(path))      // on a pool thread
 *     .addCallback(text -> { transport.write(text); return null; });   // back on the reactor thread
 *
 * // On a worker thread, written top to bottom:
 * String reply = reactor.blockingCallFromThread(() -> client.send("hello"));
 * }</pre>
 */
public interface ReactorThreads {
  /**
   * What cancelling a {@link #deferToThread} Deferred does to its work. Either way the Deferred
   * fails with {@link CancelledError} at once, and work still waiting for a thread never starts.
   */
  enum OnCancel {
    /**
     * Work already running runs to its end on its thread and its result is dropped. Abandoned work
     * keeps its thread: enough of it saturates the pool ({@link ReactorStats#queuedWork()} shows
     * the work that waits behind it).
     */
    ABANDON,
    /**
     * Work already running has its thread interrupted: work that blocks interruptibly (sleeps,
     * waits, {@link #blockingCallFromThread}, interruptible I/O) or checks {@link
     * Thread#interrupted()} stops, and its result is dropped.
     */
    INTERRUPT
  }

  /**
   * Runs {@code task} on the reactor thread, soon. Tasks run in the order they were submitted.
   * Before {@link Reactor#run()}, tasks wait for it. Safe to call from any thread.
   */
  void callFromThread(Runnable task);

  /**
   * Runs {@code work} on a pool thread and returns a Deferred that fires, on the calling reactor
   * thread, with its value or what it threw. Called on a reactor thread. Cancelling it (or a
   * timeout that cancels it) abandons running work: see {@link OnCancel#ABANDON}.
   */
  <T> Deferred<T> deferToThread(Callable<? extends T> work);

  /**
   * Runs {@code work} as {@link #deferToThread(Callable)} does; cancelling the Deferred does to
   * running work what {@code onCancel} says.
   */
  <T> Deferred<T> deferToThread(Callable<? extends T> work, OnCancel onCancel);

  /** Runs {@code work} on a pool thread; what it throws is logged. Safe to call from any thread. */
  void callInThread(Runnable work);

  /**
   * Runs {@code call} on the reactor thread, waits for the Deferred it returns, and returns its
   * value, or throws what it failed with. For code on other threads (pool threads, your own) that
   * wants to be written top to bottom.
   *
   * <p>It never waits forever: if the reactor stops first, it throws {@link CancelledError}; if the
   * waiting thread is interrupted (a {@code deferToThread} cancelled with {@link
   * OnCancel#INTERRUPT}), the Deferred is cancelled and it throws {@link InterruptedException}.
   *
   * @throws IllegalStateException on a reactor thread, where waiting would deadlock
   * @throws InterruptedException if the waiting thread is interrupted
   */
  <T> T blockingCallFromThread(Callable<? extends Deferred<T>> call) throws Exception;

  /**
   * Sets the size of the worker pool (the default is {@link ReactorOptions#threadPoolSize()}). Safe
   * to call from any thread.
   */
  void suggestThreadPoolSize(int size);
}
