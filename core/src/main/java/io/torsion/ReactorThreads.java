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
   * Runs {@code task} on the reactor thread, soon. Tasks run in the order they were submitted.
   * Before {@link Reactor#run()}, tasks wait for it. Safe to call from any thread.
   */
  void callFromThread(Runnable task);

  /**
   * Runs {@code work} on a pool thread and returns a Deferred that fires, on the calling reactor
   * thread, with its value or what it threw. Called on a reactor thread.
   */
  <T> Deferred<T> deferToThread(Callable<? extends T> work);

  /** Runs {@code work} on a pool thread; what it throws is logged. Safe to call from any thread. */
  void callInThread(Runnable work);

  /**
   * Runs {@code call} on the reactor thread, waits for the Deferred it returns, and returns its
   * value, or throws what it failed with. For code on other threads (pool threads, your own) that
   * wants to be written top to bottom.
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
