package io.torsion;

import java.util.ArrayDeque;

/**
 * A queue whose {@link #get()} returns a {@link Deferred} that fires when an item is there:
 * Twisted's {@code DeferredQueue}, bounded both ways.
 *
 * <pre>{@code
 * DeferredQueue<String> lines = new DeferredQueue<>(1000, 10);
 * lines.get().addCallback(line -> handle(line));
 * lines.put("hello");
 * }</pre>
 *
 * <p>Called on the reactor thread.
 *
 * @param <T> the item type
 */
public final class DeferredQueue<T> {
  private final int size;
  private final int backlog;
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final ArrayDeque<Deferred<T>> waiting = new ArrayDeque<>();

  /**
   * Creates a queue.
   *
   * @param size how many items it holds at most
   * @param backlog how many {@link #get()} calls may wait at most
   */
  public DeferredQueue(int size, int backlog) {
    if (size < 0 || backlog < 0) {
      throw new IllegalArgumentException(
          "size and backlog must not be negative: size=" + size + ", backlog=" + backlog);
    }
    this.size = size;
    this.backlog = backlog;
  }

  /** The queue holds {@code size} items already. */
  public static final class Overflow extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Overflow(String message) {
      super(message);
    }
  }

  /** {@code backlog} callers wait already. */
  public static final class Underflow extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Underflow(String message) {
      super(message);
    }
  }

  /**
   * Adds an item, handing it straight to the oldest waiter if there is one.
   *
   * @throws Overflow if the queue is full
   */
  public void put(T item) {
    Deferred<T> waiter = waiting.poll();
    if (waiter != null) {
      waiter.callback(item);
    } else if (items.size() < size) {
      items.add(item);
    } else {
      throw new Overflow("the queue is full: " + size + " items");
    }
  }

  /**
   * Returns a Deferred that fires with the next item: at once if one is queued. Cancelling it
   * before then gives up its place.
   *
   * @throws Underflow if {@code backlog} callers are waiting already
   */
  public Deferred<T> get() {
    T item = items.poll();
    if (item != null) {
      return Deferred.succeed(item);
    }
    if (waiting.size() >= backlog) {
      throw new Underflow("too many waiting for an item: backlog of " + backlog);
    }
    Deferred<T> d = new Deferred<>(waiting::remove);
    waiting.add(d);
    return d;
  }

  /** Returns the number of items queued. */
  public int size() {
    return items.size();
  }

  /** Returns the number of callers waiting. */
  public int waiting() {
    return waiting.size();
  }
}
