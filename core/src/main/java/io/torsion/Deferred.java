package io.torsion;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A result that is not there yet: Twisted's Deferred, one linear chain of callbacks and errbacks.
 *
 * <p>The Deferred is fired once, with {@link #callback} or {@link #errback}. Each step of the chain
 * sees the outcome of the step before: a value goes to the next callback, a {@link Failure} to the
 * next errback. A step that returns a value passes it on (an errback that returns recovers the
 * chain); a step that throws turns the chain into a failure. Steps added after the Deferred fired
 * run at once. Firing twice throws {@link AlreadyCalledError}. A step added with {@link
 * #addCallbackDeferred} may return another Deferred: the chain pauses until that one fires.
 *
 * <pre>{@code
 * reactor.connectTCP("127.0.0.1", 8000, Factory.of(EchoClient::new))
 *     .addCallbackDeferred(client -> client.send("hello"))
 *     .addTimeout(Duration.ofSeconds(5), reactor)
 *     .addCallback(reply -> { log.log(Level.INFO, reply); return null; })
 *     .addErrback(failure -> { log.log(Level.WARNING, failure.message()); return null; });
 * }</pre>
 *
 * <p>Each {@code add*} method returns this same Deferred, typed for its new result, as Twisted's
 * chain does; keep using the returned reference. A Deferred is not thread-safe: create, fire and
 * extend it on one thread, normally the reactor thread ({@link Reactor#callFromThread} fires it
 * from elsewhere). A Deferred that is garbage-collected while it holds a failure no errback handled
 * logs that failure. With {@code -Dtorsion.deferred.debug=true} or {@link #setDebugging}, every
 * Deferred records where it was created and fired, and failures carry both. {@link #pause()} holds
 * the callbacks back, as Twisted's does.
 *
 * @param <T> the type of the result the next callback receives
 */
public final class Deferred<T> {
  private static volatile boolean debugging = Boolean.getBoolean("torsion.deferred.debug");
  private static final System.Logger LOG = System.getLogger(Deferred.class.getName());
  private static final Object NO_RESULT = new Object();
  private static final Cleaner CLEANER =
      Cleaner.create(
          task -> {
            Thread thread = new Thread(task, "torsion-deferred-cleaner");
            thread.setDaemon(true);
            return thread;
          });

  /** The Deferreds waiting to resume on this thread while one already runs: no recursion. */
  private static final ThreadLocal<ArrayDeque<Deferred<?>>> TRAMPOLINE = new ThreadLocal<>();

  private ArrayDeque<Step> chain; // made at the first step: most Deferreds carry one to three
  private final Consumer<? super Deferred<T>> canceller;
  private final Throwable createdAt;
  private Throwable firedAt;
  private Object result = NO_RESULT;
  private boolean called;
  private boolean running;
  private boolean suppressAlreadyCalled;
  private int paused;
  private Deferred<?> waitingOn;
  private Unhandled unhandled;

  /** Creates a Deferred that has not fired; cancelling it fails it with {@link CancelledError}. */
  public Deferred() {
    this(null);
  }

  /**
   * Creates a Deferred whose {@link #cancel()} first calls {@code canceller}, which should stop the
   * work and may fire the Deferred itself; if it does not, the Deferred fails with {@link
   * CancelledError}.
   */
  public Deferred(Consumer<? super Deferred<T>> canceller) {
    this.canceller = canceller;
    this.createdAt = debugging ? new Trace("Deferred created here") : null;
  }

  /**
   * Turns debug mode on or off from now on (Twisted's {@code setDebugging}); it starts as the
   * system property {@code torsion.deferred.debug} says. In debug mode each Deferred created
   * records where, and where it was first fired: failures carry both as suppressed traces, and
   * {@link AlreadyCalledError} names both. It costs a stack trace per Deferred.
   */
  public static void setDebugging(boolean on) {
    debugging = on;
  }

  /** Returns true while debug mode is on (see {@link #setDebugging}). */
  public static boolean debugging() {
    return debugging;
  }

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

  /** Calls {@code call} now and returns its value, or what it throws, as a fired Deferred. */
  public static <T> Deferred<T> maybeDeferred(Callable<? extends T> call) {
    try {
      return succeed(call.call());
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      return fail(error);
    }
  }

  /** Calls {@code call} now and returns the Deferred it returns, or what it throws as a failure. */
  public static <T> Deferred<T> maybeDeferredChain(Callable<? extends Deferred<T>> call) {
    try {
      Deferred<T> result = call.call();
      return result == null
          ? fail(new NullPointerException("the call returned no Deferred"))
          : result;
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      return fail(error);
    }
  }

  /**
   * Returns a Deferred that fires with {@code stage}'s outcome, on {@code owner} (pass {@code
   * reactor::callFromThread}, so that its callbacks run on the reactor thread). Cancelling the
   * Deferred cancels the stage's future.
   */
  public static <T> Deferred<T> fromCompletionStage(CompletionStage<T> stage, Executor owner) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(owner, "owner");
    CompletableFuture<T> future = stage.toCompletableFuture();
    Deferred<T> d = new Deferred<>(self -> future.cancel(false));
    stage.whenComplete(
        (value, error) ->
            owner.execute(
                () -> {
                  if (d.called) {
                    return; // cancelled meanwhile
                  }
                  if (error == null) {
                    d.callback(value);
                  } else {
                    Throwable cause =
                        error instanceof CompletionException && error.getCause() != null
                            ? error.getCause()
                            : error;
                    d.errback(
                        cause instanceof CancellationException && !(cause instanceof CancelledError)
                            ? new CancelledError("the CompletionStage was cancelled")
                            : cause);
                  }
                }));
    return d;
  }

  // ---------------------------------------------------------------- firing

  /**
   * Fires the chain with a value.
   *
   * @throws AlreadyCalledError if this Deferred has fired already (unless it was cancelled and has
   *     no canceller, when the work's one late result is ignored)
   * @throws IllegalArgumentException if {@code value} is a Deferred, which is not a result (as in
   *     Twisted): chain it instead
   */
  public void callback(T value) {
    start(value);
  }

  /**
   * Fires the chain with an error.
   *
   * @throws AlreadyCalledError if this Deferred has fired already (unless it was cancelled and has
   *     no canceller, when the work's one late result is ignored)
   */
  public void errback(Throwable error) {
    start(Failure.of(error));
  }

  /** Returns true once {@link #callback} or {@link #errback} has been called. */
  public boolean called() {
    return called;
  }

  /**
   * Cancels: an unfired Deferred calls its canceller and, unless that fired it, fails with {@link
   * CancelledError}; a Deferred whose chain is waiting for another Deferred cancels that one. A
   * Deferred that has a result is left alone. As in Twisted, a Deferred without a canceller ignores
   * the one result the work delivers later; one with a canceller (which should have stopped the
   * work) throws {@link AlreadyCalledError} at it.
   */
  public void cancel() {
    if (!called) {
      if (canceller != null) {
        try {
          canceller.accept(this);
        } catch (Throwable error) {
          Failure.rethrowIfFatal(error);
          LOG.log(
              Level.WARNING,
              "a Deferred's canceller threw; the Deferred is cancelled anyway",
              error);
        }
      }
      if (!called) {
        errback(new CancelledError("Deferred cancelled"));
        // As Twisted: without a canceller nothing stopped the work, so its one late result is
        // ignored; with one, the canceller was to stop it, and a late result is an error.
        suppressAlreadyCalled = canceller == null;
      }
    } else if (waitingOn != null) {
      waitingOn.cancel();
    }
  }

  /**
   * Stops running callbacks until as many {@link #unpause()} calls as there were pauses (Twisted's
   * {@code pause}): a result that arrives meanwhile waits, and so does a chain that waits for a
   * paused Deferred.
   */
  public void pause() {
    paused++;
  }

  /**
   * Undoes one {@link #pause()}; the last one runs the callbacks that waited.
   *
   * @throws IllegalStateException if the Deferred is not paused
   */
  public void unpause() {
    if (paused == 0) {
      throw new IllegalStateException("unpause() without pause(): " + this);
    }
    if (--paused == 0 && called) {
      trampoline(this);
    }
  }

  /** Returns true while {@link #pause()}d. */
  public boolean isPaused() {
    return paused > 0;
  }

  /**
   * Fires this Deferred by handing it over to {@code inner}: the chain waits for it and goes on
   * with its outcome. How a canceller keeps its Deferred pending, as Twisted's inlineCallbacks does
   * (the Deferred counts as called, so cancel() adds no CancelledError, and cancelling it again
   * cancels {@code inner}).
   */
  void follow(Deferred<? extends T> inner) {
    if (called) {
      throw new AlreadyCalledError("follow(): the Deferred already fired with " + result);
    }
    called = true;
    firedAt = debugging ? new Trace("Deferred fired here") : null;
    result = null;
    result = waitFor(inner);
    runCallbacks();
  }

  // ---------------------------------------------------------------- the chain

  /**
   * Adds a step that transforms a value; failures pass by it unchanged. A step that returns a
   * Deferred fails the chain with an {@link IllegalStateException}: wait for one with {@link
   * #addCallbackDeferred}.
   */
  public <R> Deferred<R> addCallback(Function<? super T, ? extends R> callback) {
    Objects.requireNonNull(callback, "callback");
    return addStep(callback, Function.identity());
  }

  /**
   * Adds a step that continues asynchronously: the chain pauses until the Deferred that {@code
   * callback} returns fires, and its outcome (value or failure) continues this chain. This is
   * Twisted's "a callback returned a Deferred", given a method of its own so that the types stay
   * right. Cancelling this Deferred meanwhile cancels the one it waits for.
   *
   * <pre>{@code
   * connect().addCallbackDeferred(client -> client.send("hello"))   // Deferred<String>
   *          .addCallback(String::length);
   * }</pre>
   */
  public <R> Deferred<R> addCallbackDeferred(
      Function<? super T, ? extends Deferred<? extends R>> callback) {
    Objects.requireNonNull(callback, "callback");
    return addStep(value -> new Chained(callback.apply(value)), Function.identity());
  }

  /**
   * Adds a step that handles a failure asynchronously: the chain pauses until the Deferred that
   * {@code errback} returns fires, and its outcome continues this chain (Twisted chains a Deferred
   * an errback returns like one a callback returns). Values pass by it unchanged.
   */
  public Deferred<T> addErrbackDeferred(
      Function<? super Failure, ? extends Deferred<? extends T>> errback) {
    Objects.requireNonNull(errback, "errback");
    return addStep(Function.identity(), failure -> new Chained(errback.apply(failure)));
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
   * Adds a step that runs on success and failure alike: it receives the value and null, or null and
   * the failure. Returning a value continues the chain with it (recovering a failure).
   */
  public <R> Deferred<R> addBoth(BiFunction<? super T, ? super Failure, ? extends R> both) {
    Objects.requireNonNull(both, "both");
    return addStep(value -> both.apply(value, null), failure -> both.apply(null, failure));
  }

  /**
   * Adds a step that runs {@code action} on success and failure alike and passes the outcome on
   * unchanged, the way {@code finally} does (Twisted's {@code addBoth(lambda r: (cleanup(),
   * r)[1])}). If {@code action} throws, the chain fails with that instead.
   */
  public Deferred<T> addFinally(Runnable action) {
    Objects.requireNonNull(action, "action");
    return addStep(
        value -> {
          action.run();
          return value;
        },
        failure -> {
          action.run();
          return failure;
        });
  }

  /**
   * Fails this Deferred with {@link TimeoutError} if it has no result within {@code timeout} on
   * {@code clock}: it is cancelled then (so its canceller runs), and a {@link CancelledError} is
   * reported as the timeout. If the canceller fires it with a value, that value stands.
   */
  public Deferred<T> addTimeout(Duration timeout, ReactorTime clock) {
    return timeout(timeout, clock, null);
  }

  /**
   * Cancels this Deferred if it has no result within {@code timeout} on {@code clock}, and turns
   * the failure the cancellation leaves (normally {@link CancelledError}) into what {@code
   * onTimeoutCancel} returns or throws: a default value, or an error of your own (Twisted's {@code
   * addTimeout(timeout, clock, onTimeoutCancel)}; unlike Twisted's, the hook sees only failures: if
   * the canceller fired the Deferred with a value, that value stands). An outcome that arrives in
   * time passes unchanged.
   */
  public Deferred<T> addTimeout(
      Duration timeout,
      ReactorTime clock,
      BiFunction<? super Failure, ? super Duration, ? extends T> onTimeoutCancel) {
    return timeout(timeout, clock, Objects.requireNonNull(onTimeoutCancel, "onTimeoutCancel"));
  }

  /** Both {@code addTimeout}s; a null hook reports a {@link CancelledError} as a timeout. */
  private Deferred<T> timeout(
      Duration timeout,
      ReactorTime clock,
      BiFunction<? super Failure, ? super Duration, ? extends T> onTimeoutCancel) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    boolean[] timedOut = {false};
    DelayedCall expiry =
        clock.callLater(
            timeout,
            () -> {
              timedOut[0] = true;
              cancel();
            });
    return addStep(
        value -> {
          if (expiry.active()) {
            expiry.cancel();
          }
          return value;
        },
        failure -> {
          if (expiry.active()) {
            expiry.cancel();
          }
          if (!timedOut[0]) {
            return failure;
          }
          if (onTimeoutCancel != null) {
            return onTimeoutCancel.apply(failure, timeout);
          }
          return failure.value() instanceof CancelledError
              ? Failure.of(new TimeoutError("Deferred timed out after " + timeout))
              : failure;
        });
  }

  /**
   * Makes {@code other} fire with this chain's outcome at this point (Twisted's {@code
   * chainDeferred}); this chain continues with null.
   *
   * @throws IllegalArgumentException if {@code other} is this Deferred
   */
  public Deferred<Void> chainDeferred(Deferred<T> other) {
    Objects.requireNonNull(other, "other");
    if (other == this) {
      throw new IllegalArgumentException("a Deferred cannot be chained to itself: " + this);
    }
    return addCallbacks(
        value -> {
          other.callback(value);
          return null;
        },
        failure -> {
          other.start(failure);
          return null;
        });
  }

  /**
   * Returns a future that completes with this Deferred's outcome at the time the chain reaches this
   * point; the outcome also continues down the chain unchanged. Cancelling the future does not
   * reach this Deferred; see {@link #toCompletableFuture(Executor)}.
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

  /**
   * Like {@link #toCompletableFuture()}, and cancelling the future cancels this Deferred on {@code
   * owner} (pass {@code reactor::callFromThread}).
   */
  public CompletableFuture<T> toCompletableFuture(Executor owner) {
    Objects.requireNonNull(owner, "owner");
    CompletableFuture<T> future = toCompletableFuture();
    future.whenComplete(
        (value, error) -> {
          if (future.isCancelled()) {
            owner.execute(this::cancel);
          }
        });
    return future;
  }

  @Override
  public String toString() {
    if (!called) {
      return "Deferred[pending, " + steps() + " steps]";
    }
    if (waitingOn != null) {
      return "Deferred[waiting for another Deferred, " + steps() + " steps]";
    }
    return result == NO_RESULT ? "Deferred[running]" : "Deferred[fired with " + result + "]";
  }

  // ---------------------------------------------------------------- machinery

  @SuppressWarnings("unchecked")
  private <R> Deferred<R> addStep(
      Function<? super T, ?> onValue, Function<? super Failure, ?> onFailure) {
    if (chain == null) {
      chain = new ArrayDeque<>(3);
    }
    chain.add(new Step((Function<Object, Object>) onValue, (Function<Object, Object>) onFailure));
    if (called) {
      if (unhandled != null) {
        unhandled.handled = true; // the new step takes the failure over
        unhandled = null;
      }
      runCallbacks();
    }
    return (Deferred<R>) this;
  }

  private void start(Object outcome) {
    if (outcome instanceof Deferred<?> other) {
      throw new IllegalArgumentException(
          "a Deferred is not a result: to continue with "
              + other
              + " once it fires, chain it (addCallbackDeferred(v -> it), or it.chainDeferred(this))");
    }
    if (called) {
      if (suppressAlreadyCalled) {
        suppressAlreadyCalled = false; // the work finished after it was cancelled: ignore
        return;
      }
      AlreadyCalledError error =
          new AlreadyCalledError(
              "Deferred already fired with "
                  + result
                  + (createdAt != null ? "; created at " + site(createdAt) : "")
                  + (firedAt != null ? "; first fired at " + site(firedAt) : "")
                  + (createdAt == null && firedAt == null
                      ? " (Deferred.setDebugging(true) names where it was created and fired)"
                      : ""));
      if (firedAt != null) {
        error.initCause(firedAt);
      }
      if (createdAt != null) {
        error.addSuppressed(createdAt);
      }
      throw error;
    }
    called = true;
    firedAt = debugging ? new Trace("Deferred fired here") : null;
    result = outcome instanceof Failure failure && debugging ? annotate(failure) : outcome;
    runCallbacks();
  }

  /** Returns the first frame of {@code trace} outside this class: the caller's line. */
  private static String site(Throwable trace) {
    for (StackTraceElement frame : trace.getStackTrace()) {
      String name = frame.getClassName();
      if (!name.equals(Deferred.class.getName())
          && !name.startsWith(Deferred.class.getName() + "$")) {
        return frame.toString();
      }
    }
    return "(unknown)";
  }

  private int steps() {
    return chain == null ? 0 : chain.size();
  }

  /** Runs steps until the chain is empty or waits for another Deferred; never recursive. */
  private void runCallbacks() {
    if (running || waitingOn != null || paused > 0) {
      return; // a step added a step to this Deferred: the loop below picks it up (or paused)
    }
    running = true;
    try {
      Step step;
      while (waitingOn == null && chain != null && (step = chain.poll()) != null) {
        Object current = result;
        try {
          Object next =
              current instanceof Failure failure
                  ? step.onFailure.apply(failure)
                  : step.onValue.apply(current);
          // A step that returns a Failure (as the pass-through half of a step does) keeps failing.
          result =
              next instanceof Chained chained
                  ? waitFor(chained.inner)
                  : next instanceof Deferred<?> returned ? returnedDeferred(returned) : next;
        } catch (Throwable error) {
          Failure.rethrowIfFatal(error);
          result = debugging ? annotate(Failure.of(error)) : Failure.of(error);
        }
      }
    } finally {
      running = false;
    }
    if (waitingOn == null && steps() == 0 && result instanceof Failure failure) {
      unhandled = new Unhandled(failure, createdAt);
      CLEANER.register(this, unhandled);
    }
  }

  /**
   * A callback of {@code addCallback} (or an errback) returned a Deferred: in Twisted the chain
   * would wait for it, here the types cannot say so, and handing the next step a Deferred would go
   * unnoticed. The chain fails instead, naming the fix.
   */
  private static Failure returnedDeferred(Deferred<?> returned) {
    return Failure.of(
        new IllegalStateException(
            "a callback returned a Deferred ("
                + returned
                + ") instead of a value: use addCallbackDeferred to wait for it"));
  }

  /** Pauses this chain until {@code inner} fires; returns the outcome now if it already has. */
  private Object waitFor(Deferred<?> inner) {
    if (inner == null) {
      return Failure.of(new NullPointerException("addCallbackDeferred callback returned null"));
    }
    if (inner == this) {
      return Failure.of(new IllegalStateException("a Deferred cannot wait for itself: " + this));
    }
    if (inner.called
        && !inner.running
        && inner.waitingOn == null
        && inner.paused == 0
        && inner.steps() == 0) {
      Object outcome = inner.result; // already fired: continue in this loop, taking the result over
      inner.result = null;
      if (inner.unhandled != null) {
        inner.unhandled.handled = true;
        inner.unhandled = null;
      }
      return outcome;
    }
    waitingOn = inner;
    inner.addStep(value -> resume(value), failure -> resume(failure));
    return result;
  }

  private Object resume(Object outcome) {
    waitingOn = null;
    result = outcome;
    trampoline(this);
    return null; // the inner Deferred's result was taken over by this one
  }

  /** Runs {@code d}'s chain, or queues it behind the chain already running on this thread. */
  private static void trampoline(Deferred<?> d) {
    ArrayDeque<Deferred<?>> queue = TRAMPOLINE.get();
    if (queue != null) {
      queue.add(d);
      return;
    }
    queue = new ArrayDeque<>();
    TRAMPOLINE.set(queue);
    try {
      d.runCallbacks();
      Deferred<?> next;
      while ((next = queue.poll()) != null) {
        next.runCallbacks();
      }
    } finally {
      TRAMPOLINE.remove();
    }
  }

  private Failure annotate(Failure failure) {
    Throwable error = failure.value();
    if (createdAt != null) {
      error.addSuppressed(createdAt);
    }
    if (firedAt != null && firedAt != createdAt) {
      error.addSuppressed(firedAt);
    }
    return failure;
  }

  /** What an {@link #addCallbackDeferred} step returns, so the loop knows to wait. */
  private record Chained(Deferred<?> inner) {}

  private record Step(Function<Object, Object> onValue, Function<Object, Object> onFailure) {}

  /** Logs a failure left unhandled when its Deferred is collected; holds no reference to it. */
  private static final class Unhandled implements Runnable {
    private final Failure failure;
    private final Throwable createdAt;
    private volatile boolean handled;

    Unhandled(Failure failure, Throwable createdAt) {
      this.failure = failure;
      this.createdAt = createdAt;
    }

    @Override
    public void run() {
      if (!handled) {
        LOG.log(
            Level.ERROR,
            "Unhandled error in Deferred: "
                + failure.message()
                + (createdAt == null
                    ? " (run with -Dtorsion.deferred.debug=true to see where it was created)"
                    : ""),
            failure.value());
      }
    }
  }

  /** Where a Deferred was created or fired, recorded in debug mode. */
  private static final class Trace extends Throwable {
    private static final long serialVersionUID = 1L;

    Trace(String message) {
      super(message);
    }
  }
}
