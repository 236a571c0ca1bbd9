package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class DeferredTest {
  @Test
  void aDeferredIsNotAResult() {
    Deferred<Object> outer = new Deferred<>();
    Deferred<String> inner = new Deferred<>();
    assertThatThrownBy(() -> outer.callback(inner))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("addCallbackDeferred");
    assertThat(outer.called()).as("the rejected call did not fire it").isFalse();
    assertThatThrownBy(() -> Deferred.succeed(inner)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCallbackThatReturnsADeferredFailsTheChainInsteadOfPassingTheDeferredOn() {
    Deferred<String> inner = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    Deferred<Integer> outer = new Deferred<>();
    outer
        .addCallback(v -> inner) // a mistake: addCallbackDeferred waits, addCallback cannot
        .addCallbacks(value -> seen.add("value " + value), failure -> seen.add(failure.value()));
    outer.callback(1);
    assertThat(seen).singleElement().isInstanceOf(IllegalStateException.class);
    assertThat((Throwable) seen.get(0)).hasMessageContaining("use addCallbackDeferred");

    List<String> waited = new ArrayList<>();
    Deferred<Integer> right = new Deferred<>();
    right.addCallbackDeferred(v -> inner).addCallback(waited::add);
    right.callback(1);
    inner.callback("later");
    assertThat(waited).containsExactly("later");
  }

  @Test
  void callbacksSeeEachOthersResultsInOrder() {
    Deferred<Integer> d = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    d.addCallback(x -> x + 1).addCallback(x -> "n=" + x).addCallback(s -> seen.add(s));
    assertThat(seen).isEmpty();
    d.callback(41);
    assertThat(seen).containsExactly("n=42");
  }

  @Test
  void callbacksAddedAfterFiringRunAtOnce() {
    Deferred<String> d = Deferred.succeed("now");
    List<String> seen = new ArrayList<>();
    d.addCallback(seen::add);
    assertThat(seen).containsExactly("now");
  }

  @Test
  void aThrowingCallbackSwitchesTheChainToErrbacks() {
    Deferred<Integer> d = new Deferred<>();
    List<String> seen = new ArrayList<>();
    d.addCallback(
            x -> {
              throw new IllegalStateException("bad " + x);
            })
        .addCallback(x -> seen.add("skipped"))
        .addErrback(
            f -> {
              seen.add(f.message());
              return true;
            });
    d.callback(1);
    assertThat(seen).containsExactly("java.lang.IllegalStateException: bad 1");
  }

  @Test
  void anErrbackThatReturnsRecoversTheChain() {
    Deferred<Integer> d = Deferred.fail(new IOException("lost"));
    List<Object> seen = new ArrayList<>();
    d.addErrback(f -> -1).addCallback(seen::add);
    assertThat(seen).containsExactly(-1);
  }

  @Test
  void aCallbackThatRaisesInsideAnErrbackChainKeepsFailingWithTheNewError() {
    Deferred<Integer> d = Deferred.fail(new IOException("first"));
    List<Object> seen = new ArrayList<>();
    d.addErrback(
            f -> {
              throw new IllegalArgumentException("second");
            })
        .addBoth((value, failure) -> seen.add(failure.value().getMessage()));
    assertThat(seen).containsExactly("second");
  }

  @Test
  void failuresPassCallbacksByUnchanged() {
    IOException error = new IOException("x");
    Deferred<Integer> d = Deferred.fail(error);
    List<Throwable> seen = new ArrayList<>();
    d.addCallback(x -> x * 2)
        .addCallback(x -> x * 3)
        .addErrback(
            f -> {
              seen.add(f.value());
              return 0;
            });
    assertThat(seen).containsExactly(error);
  }

  @Test
  void addCallbacksRunsExactlyOneSide() {
    List<String> seen = new ArrayList<>();
    Deferred.succeed(1).addCallbacks(v -> seen.add("value"), f -> seen.add("failure"));
    Deferred.fail(new IOException()).addCallbacks(v -> seen.add("value"), f -> seen.add("failure"));
    assertThat(seen).containsExactly("value", "failure");
  }

  @Test
  void firingTwiceIsAlreadyCalledError() {
    Deferred<Integer> d = new Deferred<>();
    d.callback(42);
    assertThatThrownBy(() -> d.callback(1))
        .isInstanceOf(AlreadyCalledError.class)
        .hasMessageContaining("42");
    assertThatThrownBy(() -> d.errback(new IOException())).isInstanceOf(AlreadyCalledError.class);
  }

  @Test
  void aCallbackAddingCallbacksToItsOwnDeferredRunsThemInOrder() {
    Deferred<Integer> d = new Deferred<>();
    List<String> seen = new ArrayList<>();
    d.addCallback(
        x -> {
          d.addCallback(y -> seen.add("added during " + y));
          seen.add("first " + x);
          return x;
        });
    d.callback(7);
    assertThat(seen).containsExactly("first 7", "added during 7");
  }

  @Test
  void longChainsDoNotOverflowTheStack() {
    Deferred<Integer> d = new Deferred<>();
    Deferred<Integer> chain = d;
    for (int i = 0; i < 200_000; i++) {
      chain = chain.addCallback(x -> x + 1);
    }
    List<Integer> result = new ArrayList<>();
    chain.addCallback(result::add);
    d.callback(0);
    assertThat(result).containsExactly(200_000);
  }

  @Test
  void toCompletableFutureCarriesValuesAndFailures() throws Exception {
    CompletableFuture<String> ok = Deferred.succeed("v").toCompletableFuture();
    assertThat(ok.get()).isEqualTo("v");
    IOException error = new IOException("no");
    CompletableFuture<String> failed = Deferred.<String>fail(error).toCompletableFuture();
    assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCause(error);
  }

  @Test
  void aDeferredCallbackPausesTheChainUntilTheInnerOneFires() {
    Deferred<Integer> outer = new Deferred<>();
    Deferred<String> inner = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    outer.addCallbackDeferred(x -> inner).addCallback(s -> seen.add("got " + s));
    outer.callback(1);
    assertThat(seen).isEmpty();
    assertThat(outer.toString()).contains("waiting");
    inner.callback("inner");
    assertThat(seen).containsExactly("got inner");
  }

  @Test
  void anAlreadyFiredInnerDeferredContinuesAtOnce() {
    List<Object> seen = new ArrayList<>();
    Deferred.succeed(2).addCallbackDeferred(x -> Deferred.succeed(x * 10)).addCallback(seen::add);
    assertThat(seen).containsExactly(20);
  }

  @Test
  void anInnerFailureContinuesDownTheErrbacks() {
    Deferred<String> inner = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    Deferred.succeed(1)
        .addCallbackDeferred(x -> inner)
        .addCallback(s -> seen.add("skipped"))
        .addErrback(
            f -> {
              seen.add(f.message());
              return null;
            });
    inner.errback(new IOException("inner failed"));
    assertThat(seen).containsExactly("java.io.IOException: inner failed");
  }

  @Test
  void waitingForItselfIsRefused() {
    Deferred<Object> d = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    d.addCallbackDeferred(x -> d).addErrback(f -> seen.add(f.value().getMessage()));
    d.callback("x");
    assertThat(seen).singleElement().asString().contains("cannot wait for itself");
  }

  @Test
  void manyAlreadyFiredInnerDeferredsDoNotOverflowTheStack() {
    Deferred<Integer> d = new Deferred<>();
    Deferred<Integer> chain = d;
    for (int i = 0; i < 100_000; i++) {
      chain = chain.addCallbackDeferred(x -> Deferred.succeed(x + 1));
    }
    List<Integer> result = new ArrayList<>();
    chain.addCallback(result::add);
    d.callback(0);
    assertThat(result).containsExactly(100_000);
  }

  @Test
  void toStringShowsTheState() {
    assertThat(new Deferred<>().toString()).contains("pending");
    assertThat(Deferred.succeed(5).toString()).contains("fired with 5");
  }
}
