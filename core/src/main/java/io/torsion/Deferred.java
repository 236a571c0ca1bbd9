package io.torsion;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A result that is not there yet: Twisted's Deferred, one linear chain of callbacks and errbacks.
 *
 * <p>The Deferred is fired once, with {@link #callback} or {@link #errback}. Each step of the chain
 * sees the outcome of the step before: a value goes to the next callback, a {@link Failure} to the
 * next errback. A step that returns a value passes it on (an errback that returns recovers the
 * chain); a step that throws turns the chain into a failure. Steps added after the Deferred fired
 * run at once. Firing twice throws {@link AlreadyCalledError}.
 *
 * <pre>{@code
 * reactor.connectTCP("127.0.0.1", 8000, Factory.of(EchoClient::new))
 *     .addCallback(client -> client.send("hello"))
 *     .addCallback(reply -> { System.out.println(reply); return null; })
 *     .addErrback(failure -> { log.log(Level.WARNING, failure.message()); return null; });
 * }</pre>
 *
 * <p>Each {@code add*} method returns this same Deferred, typed for its new result, as Twisted's
 * chain does; keep using the returned reference. A Deferred is not thread-safe: create, fire and
 * extend it on one thread, normally the reactor thread (use {@link Reactor#callFromThread} to fire
 * it from elsewhere).
 *
 * @param <T> the type of the result the next callback receives
 */
public final class Deferred<T> {
  private static final Object NO_RESULT = new Object();

  private final ArrayDeque<Step> chain = new ArrayDeque<>();
  private Object result = NO_RESULT;
  private boolean called;
  private boolean running;
  private boolean paused;

  /** Creates a Deferred that has not fired. */
  public Deferred() {}

  /** Returns a Deferred already fired with {@code value}. */
  public static <T> Deferred<T> succeed(T value) {
    Deferred<T> d = new Deferred<>();
    d.callback(value);
    return d;
  }

  /** Returns a Deferred already failed with {@code error}. */
  public static <T> Deferred<T> fail(Throwable error) {
    Deferred<T> d = new Deferred<>();
    d.errback(error);
    return d;
  }

  /**
   * Fires the chain with a value.
   *
   * @throws AlreadyCalledError if this Deferred has fired already
   */
  public void callback(T value) {
    start(value);
  }

  /**
   * Fires the chain with an error.
   *
   * @throws AlreadyCalledError if this Deferred has fired already
   */
  public void errback(Throwable error) {
    start(Failure.of(error));
  }

  /** Returns true once {@link #callback} or {@link #errback} has been called. */
  public boolean called() {
    return called;
  }

  /** Adds a step that transforms a value; failures pass by it unchanged. */
  public <R> Deferred<R> addCallback(Function<? super T, ? extends R> callback) {
    Objects.requireNonNull(callback, "callback");
    return addStep(callback, Function.identity());
  }

  /**
   * Adds a step that continues asynchronously: the chain pauses until the Deferred that {@code
   * callback} returns fires, and its outcome (value or failure) continues this chain. This is
   * Twisted's "a callback returned a Deferred", given a method of its own so that the types stay
   * right.
   *
   * <pre>{@code
   * connect().addCallbackDeferred(client -> client.send("hello"))   // Deferred<String>
   *          .addCallback(String::length);
   * }</pre>
   */
  public <R> Deferred<R> addCallbackDeferred(Function<? super T, ? extends Deferred<? extends R>> callback) {
    Objects.requireNonNull(callback, "callback");
    return addStep(value -> new Chained(callback.apply(value)), Function.identity());
  }

  /** Adds a step that handles a failure; returning a value recovers the chain. */
  public Deferred<T> addErrback(Function<? super Failure, ? extends T> errback) {
    Objects.requireNonNull(errback, "errback");
    return addStep(Function.identity(), errback);
  }

  /** Adds a step with one function for a value and one for a failure; exactly one runs. */
  public <R> Deferred<R> addCallbacks(
      Function<? super T, ? extends R> callback, Function<? super Failure, ? extends R> errback) {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(errback, "errback");
    return addStep(callback, errback);
  }

  /**
   * Adds a step that runs on success and failure alike: it receives the value and null, or null
   * and the failure. Returning a value continues the chain with it (recovering a failure).
   */
  public <R> Deferred<R> addBoth(BiFunction<? super T, ? super Failure, ? extends R> both) {
    Objects.requireNonNull(both, "both");
    return addStep(value -> both.apply(value, null), failure -> both.apply(null, failure));
  }

  /**
   * Returns a future that completes with this Deferred's outcome at the time the chain reaches
   * this point; the outcome also continues down the chain unchanged.
   */
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> future = new CompletableFuture<>();
    addStep(
        value -> {
          future.complete(value);
          return value;
        },
        (Failure failure) -> {
          future.completeExceptionally(failure.value());
          return failure;
        });
    return future;
  }

  @Override
  public String toString() {
    if (!called) {
      return "Deferred[pending, " + chain.size() + " steps]";
    }
    if (paused) {
      return "Deferred[waiting for another Deferred, " + chain.size() + " steps]";
    }
    return result == NO_RESULT ? "Deferred[running]" : "Deferred[fired with " + result + "]";
  }

  @SuppressWarnings("unchecked")
  private <R> Deferred<R> addStep(Function<? super T, ?> onValue, Function<? super Failure, ?> onFailure) {
    chain.add(new Step((Function<Object, Object>) onValue, (Function<Object, Object>) onFailure));
    if (called) {
      runCallbacks();
    }
    return (Deferred<R>) this;
  }

  private void start(Object outcome) {
    if (called) {
      throw new AlreadyCalledError("Deferred already fired with " + result);
    }
    called = true;
    result = outcome;
    runCallbacks();
  }

  /** Runs steps until the chain is empty; iterative, so long chains use no stack. */
  private void runCallbacks() {
    if (running) {
      return; // a step added a step to this Deferred: the loop below picks it up
    }
    running = true;
    try {
      Step step;
      while (!paused && (step = chain.poll()) != null) {
        Object current = result;
        try {
          Object next =
              current instanceof Failure failure
                  ? step.onFailure.apply(failure)
                  : step.onValue.apply(current);
          // A step that returns a Failure (as the pass-through half of a step does) keeps failing.
          result = next instanceof Chained chained ? waitFor(chained.inner) : next;
        } catch (Throwable error) {
          result = Failure.of(error);
        }
      }
    } finally {
      running = false;
    }
  }

  /** Pauses this chain until {@code inner} fires; returns the outcome now if it already has. */
  private Object waitFor(Deferred<?> inner) {
    if (inner == null) {
      return Failure.of(new NullPointerException("addCallbackDeferred callback returned null"));
    }
    if (inner == this) {
      return Failure.of(new IllegalStateException("a Deferred cannot wait for itself: " + this));
    }
    paused = true;
    Object[] early = {NO_RESULT};
    boolean[] synchronous = {true};
    inner.addBoth((value, failure) -> {
      Object outcome = failure != null ? failure : value;
      if (synchronous[0]) {
        early[0] = outcome; // fired already: continue in the caller's loop, no recursion
      } else {
        paused = false;
        result = outcome;
        runCallbacks();
      }
      return null;
    });
    synchronous[0] = false;
    if (early[0] != NO_RESULT) {
      paused = false;
      return early[0];
    }
    return result;
  }

  /** What an {@link #addCallbackDeferred} step returns, so the loop knows to wait. */
  private record Chained(Deferred<?> inner) {}

  private record Step(Function<Object, Object> onValue, Function<Object, Object> onFailure) {}
}
