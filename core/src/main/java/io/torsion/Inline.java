package io.torsion;

import io.torsion.internal.DefaultReactor;
import io.torsion.internal.Strand;
import java.util.Objects;

/**
 * Twisted's {@code inlineCallbacks} for Java: a body written top to bottom that waits for Deferreds
 * with {@link #await}, while the reactor goes on.
 *
 * <pre>{@code
 * import static io.torsion.Inline.await;
 *
 * Deferred<Integer> size =
 *     Inline.run(reactor, () -> {
 *       ClientResponse index = await(client.get("http://127.0.0.1:8080/"));
 *       if (index.status() != 200) {
 *         throw new IOException("index: " + index.status());
 *       }
 *       String body = await(index.text());
 *       return body.length();
 *     });
 * }</pre>
 *
 * <p>The guarantees are Twisted's:
 *
 * <ul>
 *   <li>The body runs mutually exclusive with the reactor thread it was started on: the body holds
 *       that thread's loop from {@link #run} (or a resumption) to its next {@code await}, and the
 *       reactor thread waits meanwhile, with a happens-before edge at every hand-off. So the body
 *       may touch protocol state, transports and the reactor as that thread's code does, without
 *       locks; Deferreds it makes and fires behave as on the reactor thread.
 *   <li>{@code await(d)} returns {@code d}'s value or throws its failure's exception; a Deferred
 *       that already has a result does not suspend the body. Afterwards {@code d} holds null (its
 *       result went to the body, as in Twisted).
 *   <li>The body starts at once, inside {@code run}, and runs until its first {@code await} of a
 *       Deferred without a result; it goes on inside the callback that fires that Deferred.
 *   <li>Cancelling the returned Deferred cancels the Deferred being awaited, so the body sees
 *       {@link CancelledError} at its {@code await}; it may catch it and go on, and the returned
 *       Deferred fires with whatever the body then returns or throws.
 *   <li>A failure's stack trace has the body's frames: an exception the body throws was made on its
 *       own thread, and one rethrown at an {@code await} carries a suppressed trace of where the
 *       body awaited it.
 * </ul>
 *
 * <p>The cost: a body runs on a thread of its own, parked while it waits. On Java 21+ that is a
 * virtual thread, so a waiting body holds no platform thread and thousands are fine; on Java 17 to
 * 20 it is a platform thread (named {@code torsion-inline-N}), held until the body ends, so keep
 * the number of bodies alive at once to hundreds there. Each resumption is a hand-off between two
 * threads, and a call the body makes into the transport (a write, a close) is handed to the reactor
 * thread and back; the benchmarks' {@code InlineBenchmark} measures the resumptions against a plain
 * callback chain. A body that computes for long blocks the reactor exactly as a long callback does.
 * When the reactor stops, a body still waiting is let go: its {@code await} throws {@link
 * CancelledError}, and nothing fires its Deferred.
 */
public final class Inline {
  private static final ThreadLocal<Run<?>> RUNNING = new ThreadLocal<>();

  private Inline() {}

  /**
   * The code of an inline body: it may throw anything, and {@link #await} throws what the awaited
   * Deferred failed with.
   *
   * @param <T> the body's result
   */
  @FunctionalInterface
  public interface Body<T> {
    /** Runs the body; what it returns fires the Deferred of {@link Inline#run}. */
    T run() throws Exception;
  }

  /**
   * Starts {@code body} on the calling reactor thread and returns a Deferred that fires with what
   * it returns or fails with what it throws. Called on a reactor thread (or in another body).
   *
   * @throws IllegalArgumentException if {@code reactor} was not made by {@link Reactor#create}
   * @throws IllegalStateException off the reactor's threads
   */
  public static <T> Deferred<T> run(Reactor reactor, Body<? extends T> body) {
    Objects.requireNonNull(reactor, "reactor");
    Objects.requireNonNull(body, "body");
    if (!(reactor instanceof DefaultReactor running)) {
      throw new IllegalArgumentException(
          "Inline.run needs a reactor made by Reactor.create, not " + reactor);
    }
    Run<T> run = new Run<>(body);
    run.strand = running.newStrand("Inline.run", run::body);
    run.step();
    return run.outer;
  }

  /**
   * Waits, inside an inline body, for {@code deferred}: returns its value, or throws the exception
   * of its failure (a {@link CancelledError} if it was cancelled). The reactor goes on meanwhile.
   *
   * @throws IllegalStateException outside an inline body
   * @throws CancelledError also if the reactor stopped while the body waited
   */
  public static <V> V await(Deferred<V> deferred) throws Exception {
    Objects.requireNonNull(deferred, "deferred");
    Run<?> run = RUNNING.get();
    if (run == null) {
      throw new IllegalStateException(
          "Inline.await outside an inline body: start one with Inline.run(reactor, body)");
    }
    return run.await(deferred);
  }

  /** One body: its strand, the Deferred it waits for, and where its outcome goes. */
  private static final class Run<T> {
    private final Body<? extends T> body;
    final Deferred<T> outer = new Deferred<>(this::cancel);
    // Where the body's outcome goes: outer, or after a cancel the Deferred outer now follows.
    private Deferred<T> target = outer;
    Strand strand;
    private Deferred<?> awaiting; // while the body waits
    private boolean suspended;
    private boolean arrived; // the awaited outcome, set by its callback
    private Object value;
    private Failure failure;
    private T result; // the body's own outcome
    private Throwable thrown;
    private boolean fired;

    Run(Body<? extends T> body) {
      this.body = body;
    }

    /** The strand's code. */
    void body() {
      RUNNING.set(this);
      try {
        result = body.run();
      } catch (Throwable error) {
        thrown = error;
      } finally {
        RUNNING.remove();
      }
    }

    /** Resumes the body on its loop (hopping there from another thread), and fires once it ends. */
    void step() {
      if (!strand.mayResumeHere()) {
        strand.execute(this::step);
        return;
      }
      if (strand.resume() && !fired) {
        fired = true;
        if (thrown != null) {
          target.errback(thrown);
        } else if (result instanceof Deferred<?> returned) {
          target.errback(
              new IllegalStateException(
                  "an inline body returned a Deferred ("
                      + returned
                      + "): return await(it) to wait for it"));
        } else {
          target.callback(result);
        }
      }
    }

    @SuppressWarnings("unchecked")
    <V> V await(Deferred<V> deferred) throws Exception {
      arrived = false;
      deferred.addBoth(
          (v, f) -> {
            value = v;
            failure = f;
            arrived = true;
            if (suspended) {
              step();
            }
            return null; // the body took the result, as Twisted's generator does
          });
      if (!arrived) {
        awaiting = deferred;
        suspended = true;
        try {
          strand.suspend();
        } finally {
          suspended = false;
          awaiting = null;
        }
      }
      Failure failed = failure;
      Object got = value;
      value = null;
      failure = null;
      if (failed == null) {
        return (V) got;
      }
      Throwable error = failed.value();
      error.addSuppressed(new AwaitedHere());
      if (error instanceof Exception exception) {
        throw exception;
      }
      throw Inline.<RuntimeException>unchecked(error); // an Error, or another kind of Throwable
    }

    /** The canceller of {@link #target}: Twisted's, which keeps it waiting for the body. */
    private void cancel(Deferred<T> cancelled) {
      Deferred<T> next = new Deferred<>(this::cancel);
      target = next;
      cancelled.follow(next);
      Deferred<?> waited = awaiting;
      if (waited != null) {
        waited.cancel();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable error) throws E {
    throw (E) error;
  }

  /** Where a body awaited the failure it was handed: the body's frames, for the stack trace. */
  private static final class AwaitedHere extends Throwable {
    private static final long serialVersionUID = 1L;

    AwaitedHere() {
      super("awaited in an inline body (Inline.await) on " + Thread.currentThread().getName());
    }
  }
}
