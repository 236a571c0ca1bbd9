package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.ReactorTime;
import io.torsion.TimeoutError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The Deferred patterns of the user guide ({@code docs/guide.md}), compiled and tested. */
final class DeferredRecipes {
  private DeferredRecipes() {}

  /** Callbacks transform the result; an errback recovers from a failure; the chain goes on. */
  static Deferred<String> greeting(Deferred<Integer> userId) {
    return userId
        .addCallback(id -> "user-" + id) // runs with the result
        .addCallback(name -> "Hello, " + name + "!") // and with what that returned
        .addErrback(failure -> "Hello, stranger!"); // a failure above is recovered here
  }

  /** A callback that returns a Deferred makes the chain wait for it. */
  static Deferred<String> profile(Deferred<Integer> userId, Directory directory) {
    return userId.addCallbackDeferred(directory::lookUp);
  }

  /** What {@link #profile} waits on: a lookup answered later. */
  interface Directory {
    /** Returns the name of user {@code id}, later. */
    Deferred<String> lookUp(int id);
  }

  /**
   * A result that does not come in time fails with {@link TimeoutError}, and the work is cancelled.
   */
  static Deferred<String> withinOneSecond(Deferred<String> slow, ReactorTime time) {
    return slow.addTimeout(Duration.ofSeconds(1), time);
  }

  /**
   * To and from {@code CompletionStage}: the Deferred's callbacks run on the reactor ({@code
   * owner}).
   */
  static Deferred<String> fromFuture(CompletableFuture<String> future, Executor owner) {
    return Deferred.fromCompletionStage(future, owner);
  }

  /** The other way: hand a Deferred to code that speaks {@code CompletableFuture}. */
  static CompletableFuture<String> toFuture(Deferred<String> deferred) {
    return deferred.toCompletableFuture();
  }
}
