package io.torsion;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Limits how many asynchronous tasks run at once: Twisted's {@code DeferredSemaphore}. Waiters are
 * served in order; cancelling a waiting {@link #acquire()} takes it out of the queue.
 *
 * <pre>{@code
 * DeferredSemaphore limit = new DeferredSemaphore(10);
 * for (String url : urls) {
 *     limit.run(() -> fetch(url)).addCallback(this::store);   // at most 10 fetches at a time
 * }
 * }</pre>
 *
 * <p>Called on the reactor thread.
 */
public class DeferredSemaphore {
  private final int limit;
  private final ArrayDeque<Deferred<DeferredSemaphore>> waiting = new ArrayDeque<>();
  private int tokens;

  /** Creates a semaphore with {@code tokens} tokens, at least one. */
  public DeferredSemaphore(int tokens) {
    if (tokens < 1) {
      throw new IllegalArgumentException("a semaphore needs at least one token: " + tokens);
    }
    this.limit = tokens;
    this.tokens = tokens;
  }

  /** Returns a Deferred that fires with this semaphore once a token is taken for the caller. */
  public Deferred<DeferredSemaphore> acquire() {
    Deferred<DeferredSemaphore> d = new Deferred<>(waiting::remove);
    if (tokens > 0) {
      tokens--;
      d.callback(this);
    } else {
      waiting.add(d);
    }
    return d;
  }

  /**
   * Gives a token back, handing it to the next waiter if any.
   *
   * @throws IllegalStateException if every token is already back
   */
  public void release() {
    if (tokens == limit) {
      throw new IllegalStateException(
          "release() without a matching acquire(): all " + limit + " tokens are free");
    }
    Deferred<DeferredSemaphore> next = waiting.poll();
    if (next == null) {
      tokens++;
    } else {
      next.callback(this);
    }
  }

  /** Returns the number of free tokens. */
  public int tokens() {
    return tokens;
  }

  /** Returns the number of callers waiting for a token. */
  public int waiting() {
    return waiting.size();
  }

  /**
   * Acquires a token, runs {@code task}, and releases the token when the task's Deferred fires (or
   * the task throws), passing its outcome on.
   */
  public <T> Deferred<T> run(Supplier<? extends Deferred<T>> task) {
    return acquire()
        .<T>addCallbackDeferred(self -> Deferred.maybeDeferredChain(task::get))
        .addFinally(this::release);
  }
}
