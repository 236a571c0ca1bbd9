package io.torsion.spi;

import io.torsion.DelayedCall;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The timed calls of one reactor thread, in due order: an indexed binary heap, so that scheduling,
 * cancelling and resetting are all O(log n) and idle timeouts reset on every read cost nothing that
 * grows. Calls due at the same time run in the order they were scheduled (or last reset).
 *
 * <p>A reactor owns one queue per loop thread; the test {@code Clock} owns one too, so both share
 * these exact semantics. Not thread-safe: use it on its owner's thread only.
 */
public final class TimerQueue {
  private final LongSupplier clock;
  private final Consumer<Throwable> errorHandler;
  private Entry[] heap = new Entry[16];
  private int size;
  private long nextSequence;

  /**
   * Creates an empty queue.
   *
   * @param clock the current time in nanoseconds
   * @param errorHandler receives what a task throws; the queue goes on with the next task
   */
  public TimerQueue(LongSupplier clock, Consumer<Throwable> errorHandler) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
  }

  /** Schedules {@code task} to run after {@code delay}, measured from the clock's current time. */
  public DelayedCall schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    Entry entry = new Entry(clock.getAsLong() + nonNegativeNanos(delay), task);
    offer(entry);
    return entry;
  }

  /** Returns the number of pending calls. */
  public int size() {
    return size;
  }

  /** Returns the due time of the earliest pending call, or {@link Long#MAX_VALUE} if none. */
  public long nextDueTime() {
    return size == 0 ? Long.MAX_VALUE : heap[0].time;
  }

  /**
   * Runs, in order, every call due at {@code now} that was scheduled before this method began;
   * calls scheduled by those calls wait for the next invocation, so a task that reschedules itself
   * with no delay cannot starve the loop.
   *
   * @return the number of calls run
   */
  public int runDue(long now) {
    long boundary = nextSequence;
    int ran = 0;
    while (size > 0) {
      Entry head = heap[0];
      if (head.time - now > 0 || head.sequence >= boundary) {
        break;
      }
      removeAt(0);
      head.state = State.CALLED;
      ran++;
      try {
        head.task.run();
      } catch (Throwable error) {
        errorHandler.accept(error);
      }
    }
    return ran;
  }

  private static long nonNegativeNanos(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay is negative: " + delay);
    }
    return saturatedNanos(delay);
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return duration.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  private void offer(Entry entry) {
    entry.sequence = nextSequence++;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    entry.index = size;
    heap[size++] = entry;
    siftUp(entry.index);
  }

  private void removeAt(int index) {
    Entry removed = heap[index];
    Entry last = heap[--size];
    heap[size] = null;
    removed.index = -1;
    if (index < size) {
      heap[index] = last;
      last.index = index;
      siftDown(index);
      siftUp(last.index);
    }
  }

  private void siftUp(int index) {
    Entry entry = heap[index];
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      if (!before(entry, heap[parent])) {
        break;
      }
      place(heap[parent], index);
      index = parent;
    }
    place(entry, index);
  }

  private void siftDown(int index) {
    Entry entry = heap[index];
    int half = size >>> 1;
    while (index < half) {
      int child = 2 * index + 1;
      int right = child + 1;
      if (right < size && before(heap[right], heap[child])) {
        child = right;
      }
      if (!before(heap[child], entry)) {
        break;
      }
      place(heap[child], index);
      index = child;
    }
    place(entry, index);
  }

  private void place(Entry entry, int index) {
    heap[index] = entry;
    entry.index = index;
  }

  private static boolean before(Entry a, Entry b) {
    long diff = a.time - b.time;
    return diff < 0 || (diff == 0 && a.sequence < b.sequence);
  }

  private enum State {
    PENDING,
    CALLED,
    CANCELLED
  }

  private final class Entry implements DelayedCall {
    private final Runnable task;
    private long time;
    private long sequence;
    private int index = -1;
    private State state = State.PENDING;

    Entry(long time, Runnable task) {
      this.time = time;
      this.task = task;
    }

    @Override
    public long time() {
      return time;
    }

    @Override
    public boolean active() {
      return state == State.PENDING;
    }

    @Override
    public void cancel() {
      requirePending();
      removeAt(index);
      state = State.CANCELLED;
    }

    @Override
    public void reset(Duration delay) {
      requirePending();
      removeAt(index);
      time = clock.getAsLong() + nonNegativeNanos(delay);
      offer(this);
    }

    @Override
    public void delay(Duration extra) {
      requirePending();
      removeAt(index);
      time += saturatedNanos(Objects.requireNonNull(extra, "extra"));
      offer(this);
    }

    private void requirePending() {
      if (state != State.PENDING) {
        throw new IllegalStateException(
            "DelayedCall already " + state.name().toLowerCase(Locale.ROOT) + ": " + this);
      }
    }

    @Override
    public String toString() {
      return "DelayedCall["
          + state.name().toLowerCase(Locale.ROOT)
          + ", due "
          + time
          + "ns, "
          + task
          + "]";
    }
  }
}
