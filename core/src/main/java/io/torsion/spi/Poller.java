package io.torsion.spi;

/**
 * One event-loop thread's I/O, as a transport implements it: the runtime drives it from its loop
 * (poll, then post-poll tasks, then due timers) and pins connections to it. {@link #execute} and
 * {@link #wakeup} are called from any thread; everything else on the owner thread.
 */
public interface Poller {
  /** Runs {@code task} on the owner thread, soon, in submission order. */
  void execute(Runnable task);

  /**
   * Makes a blocked {@link #poll} return, or the next one not block. Must never be lost, even when
   * it races with the loop going to sleep: a stop request relies on it.
   */
  void wakeup();

  /**
   * Handles ready I/O and queued tasks once.
   *
   * @param waitNanos -1: do not block; 0: block until there is I/O, a task or a wakeup; more: block
   *     at most that long
   */
  void poll(long waitNanos);

  /** Called on {@code thread} when it becomes the owner, before it polls. */
  default void owned(Thread thread) {}

  /**
   * Runs {@code loop} (the owner thread's turns, until the reactor stops, and then {@link
   * #destroy}) on the calling thread, the owner. A transport whose library keeps per-thread pools
   * only on threads that promise to release them (Netty's recycler does) wraps it in that promise;
   * by default it just runs.
   */
  default void drive(Runnable loop) {
    loop.run();
  }

  /** Closes every socket of this poller and releases it; called once, on the owner thread. */
  void destroy();
}
