package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class DeferredCancelAndTimeoutTest {
  private static List<Throwable> failures(Deferred<?> d) {
    List<Throwable> seen = new ArrayList<>();
    d.addErrback(
        f -> {
          seen.add(f.value());
          return null;
        });
    return seen;
  }

  @Test
  void cancellingWithoutACancellerFailsWithCancelledErrorAndIgnoresTheLateResult() {
    Deferred<String> d = new Deferred<>();
    List<Throwable> seen = failures(d);
    d.cancel();
    assertThat(seen).singleElement().isInstanceOf(CancelledError.class);
    d.callback("late"); // the operation finished after all: ignored, not AlreadyCalledError
    assertThatThrownBy(() -> d.callback("twice")).isInstanceOf(AlreadyCalledError.class);
  }

  @Test
  void aCancellerRunsAndMayFireTheDeferredItself() {
    List<String> stopped = new ArrayList<>();
    Deferred<String> d =
        new Deferred<>(
            self -> {
              stopped.add("work stopped");
              self.callback("partial");
            });
    List<Object> seen = new ArrayList<>();
    d.addCallback(seen::add);
    d.cancel();
    assertThat(stopped).containsExactly("work stopped");
    assertThat(seen).containsExactly("partial");
  }

  @Test
  void cancellingAFiredDeferredDoesNothing() {
    Deferred<String> d = Deferred.succeed("done");
    d.cancel();
    List<Object> seen = new ArrayList<>();
    d.addCallback(seen::add);
    assertThat(seen).containsExactly("done");
  }

  @Test
  void cancellingDuringAPausedChainCancelsTheInnerDeferred() {
    List<String> events = new ArrayList<>();
    Deferred<String> inner = new Deferred<>(self -> events.add("inner cancelled"));
    Deferred<Integer> outer = new Deferred<>();
    List<Throwable> seen = failures(outer.addCallbackDeferred(x -> inner));
    outer.callback(1);
    outer.cancel();
    assertThat(events).containsExactly("inner cancelled");
    assertThat(seen).singleElement().isInstanceOf(CancelledError.class);
  }

  @Test
  void addTimeoutFailsWithTimeoutErrorOnTheClock() {
    ManualTime time = new ManualTime();
    List<String> events = new ArrayList<>();
    Deferred<String> d = new Deferred<>(self -> events.add("cancelled"));
    List<Throwable> seen = failures(d.addTimeout(Duration.ofSeconds(5), time));
    time.advance(Duration.ofSeconds(4));
    assertThat(seen).isEmpty();
    time.advance(Duration.ofSeconds(1));
    assertThat(events).containsExactly("cancelled");
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).isInstanceOf(TimeoutError.class).hasMessageContaining("PT5S");
  }

  @Test
  void aResultInTimeCancelsTheTimer() {
    ManualTime time = new ManualTime();
    Deferred<String> d = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    d.addTimeout(Duration.ofSeconds(5), time).addCallback(seen::add);
    d.callback("quick");
    assertThat(time.queue.size()).isZero();
    time.advance(Duration.ofSeconds(10));
    assertThat(seen).containsExactly("quick");
  }

  @Test
  void aCancellerThatGivesAValueOnTimeoutWins() {
    ManualTime time = new ManualTime();
    Deferred<String> d = new Deferred<>(self -> self.callback("fallback"));
    List<Object> seen = new ArrayList<>();
    d.addTimeout(Duration.ofMillis(10), time).addCallback(seen::add);
    time.advance(Duration.ofMillis(10));
    assertThat(seen).containsExactly("fallback");
  }

  @Test
  void chainingADeferredToItselfIsRefused() {
    Deferred<String> d = new Deferred<>();
    assertThatThrownBy(() -> d.chainDeferred(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itself");
    Deferred<String> other = new Deferred<>();
    d.chainDeferred(other);
    List<Object> seen = new ArrayList<>();
    other.addCallback(seen::add);
    d.callback("passed on");
    assertThat(seen).containsExactly("passed on");
  }

  @Test
  void addFinallyRunsEitherWayAndPassesTheOutcomeOn() {
    List<String> events = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    Deferred.succeed("v").addFinally(() -> events.add("cleanup 1")).addCallback(values::add);
    List<Throwable> seen =
        failures(
            Deferred.fail(new IllegalStateException("x"))
                .addFinally(() -> events.add("cleanup 2")));
    assertThat(events).containsExactly("cleanup 1", "cleanup 2");
    assertThat(values).containsExactly("v");
    assertThat(seen).singleElement().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void maybeDeferredTurnsValuesAndExceptionsIntoDeferreds() {
    List<Object> seen = new ArrayList<>();
    Deferred.maybeDeferred(() -> 42).addCallback(seen::add);
    List<Throwable> failed =
        failures(
            Deferred.maybeDeferred(
                () -> {
                  throw new IOException("disk");
                }));
    Deferred.maybeDeferredChain(() -> Deferred.succeed("chained")).addCallback(seen::add);
    assertThat(seen).containsExactly(42, "chained");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0)).hasMessage("disk");
  }

  @Test
  void completionStagesConvertBothWaysWithCancellation() throws Exception {
    List<Runnable> hops = new ArrayList<>();
    CompletableFuture<String> future = new CompletableFuture<>();
    Deferred<String> fromFuture = Deferred.fromCompletionStage(future, hops::add);
    List<Object> seen = new ArrayList<>();
    fromFuture.addCallback(seen::add);
    future.complete("from future");
    assertThat(seen).isEmpty(); // not yet on the owner's thread
    hops.forEach(Runnable::run);
    assertThat(seen).containsExactly("from future");

    CompletableFuture<String> cancelMe = new CompletableFuture<>();
    Deferred.fromCompletionStage(cancelMe, Runnable::run).cancel();
    assertThat(cancelMe.isCancelled()).isTrue();

    Deferred<String> source = new Deferred<>();
    CompletableFuture<String> toFuture = source.toCompletableFuture(Runnable::run);
    List<Throwable> sourceFailures = failures(source);
    toFuture.cancel(false);
    assertThat(sourceFailures).singleElement().isInstanceOf(CancelledError.class);

    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<String> failed = Deferred.<String>fail(boom).toCompletableFuture();
    assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCause(boom);
  }

  @Test
  void deeplyNestedWaitsFiredFromTheInnermostDoNotOverflowTheStack() {
    int depth = 50_000;
    List<Deferred<Integer>> inners = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      inners.add(new Deferred<>());
    }
    for (int i = 0; i < depth - 1; i++) {
      Deferred<Integer> next = inners.get(i + 1);
      inners.get(i).addCallbackDeferred(x -> next);
    }
    List<Integer> result = new ArrayList<>();
    inners.get(0).addCallback(result::add);
    for (int i = 0; i < depth - 1; i++) {
      inners.get(i).callback(0); // each now waits on the next
    }
    inners.get(depth - 1).callback(7); // firing the innermost resumes all, iteratively
    assertThat(result).containsExactly(7);
  }
}
