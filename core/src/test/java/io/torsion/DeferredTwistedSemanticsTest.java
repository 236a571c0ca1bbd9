package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.DeferredList.Indexed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of Twisted's Deferred that issue 18 adds, each after the behaviour of {@code
 * twisted/internet/defer.py} and its tests ({@code test_defer.py}): pause and unpause, the timeout
 * hook, fire-on-one-callback lists and race, errbacks that return Deferreds, cancellation with and
 * without a canceller, and debug mode switched at run time.
 */
class DeferredTwistedSemanticsTest {
  @AfterEach
  void debuggingOff() {
    Deferred.setDebugging(false);
  }

  private static <T> List<Object> outcomes(Deferred<T> d) {
    List<Object> seen = new ArrayList<>();
    d.addCallbacks(
        value -> {
          seen.add(value);
          return null;
        },
        failure -> {
          seen.add(failure.value());
          return null;
        });
    return seen;
  }

  // ---------------------------------------------------------------- pause and unpause

  @Test
  void noCallbackRunsWhilePausedAndPausesCount() {
    // test_pauseUnpause / nested pauses: a counter
    Deferred<Integer> d = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    d.addCallback(
        v -> {
          seen.add(v);
          return v + 1;
        });
    d.pause();
    d.pause();
    d.callback(1);
    assertThat(seen).isEmpty();
    d.unpause();
    assertThat(seen).as("still paused once").isEmpty();
    assertThat(d.isPaused()).isTrue();
    d.addCallback(
        v -> {
          seen.add(v);
          return v;
        });
    d.unpause();
    assertThat(seen).containsExactly(1, 2);
    assertThatThrownBy(d::unpause).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aChainWaitsForAPausedDeferredItsCallbackReturned() {
    Deferred<String> inner = new Deferred<>();
    inner.callback("inner");
    inner.pause();
    Deferred<Integer> outer = new Deferred<>();
    List<Object> seen = outcomes(outer.addCallbackDeferred(x -> inner));
    outer.callback(1);
    assertThat(seen).as("inner has its result, but is paused").isEmpty();
    inner.unpause();
    assertThat(seen).containsExactly("inner");
  }

  // ---------------------------------------------------------------- timeouts

  @Test
  void onTimeoutCancelTurnsTheTimeoutIntoAValueOrAnError() {
    ManualTime clock = new ManualTime();
    Deferred<String> defaulted = new Deferred<>();
    List<Object> seen = new ArrayList<>();
    defaulted.addTimeout(
        Duration.ofSeconds(5),
        clock,
        (failure, timeout) -> {
          seen.add(failure.value().getClass().getSimpleName() + " after " + timeout);
          return "default";
        });
    List<Object> result = outcomes(defaulted);
    clock.advance(Duration.ofSeconds(5));
    assertThat(seen).containsExactly("CancelledError after PT5S");
    assertThat(result).containsExactly("default");

    Deferred<String> custom = new Deferred<>();
    custom.addTimeout(
        Duration.ofSeconds(1),
        clock,
        (failure, timeout) -> {
          throw new IllegalStateException("gave up after " + timeout);
        });
    List<Object> error = outcomes(custom);
    clock.advance(Duration.ofSeconds(1));
    assertThat(error).singleElement().isInstanceOf(IllegalStateException.class);

    Deferred<String> inTime = new Deferred<>();
    inTime.addTimeout(Duration.ofSeconds(1), clock, (failure, timeout) -> "not used");
    List<Object> fine = outcomes(inTime);
    inTime.errback(new ArithmeticException("its own"));
    clock.advance(Duration.ofSeconds(2));
    assertThat(fine).singleElement().isInstanceOf(ArithmeticException.class);
  }

  // ---------------------------------------------------------------- lists and race

  @Test
  void firstSuccessFiresWithTheFirstValueAndItsIndex() {
    Deferred<String> a = new Deferred<>();
    Deferred<String> b = new Deferred<>();
    List<Object> seen = outcomes(DeferredList.firstSuccess(List.of(a, b)));
    a.errback(new IllegalStateException("a failed"));
    assertThat(seen).isEmpty();
    b.callback("b");
    assertThat(seen).containsExactly(new Indexed<>(1, "b"));

    Deferred<String> c = new Deferred<>();
    Deferred<String> d = new Deferred<>();
    List<Object> all =
        outcomes(DeferredList.firstSuccess(List.of(c, d), DeferredList.Flag.CONSUME_ERRORS));
    c.errback(new IllegalStateException("c"));
    d.errback(new IllegalArgumentException("d"));
    assertThat(all)
        .singleElement()
        .isInstanceOfSatisfying(
            FailureGroup.class,
            group ->
                assertThat(group.failures())
                    .extracting(f -> f.value().getMessage())
                    .containsExactly("c", "d"));

    Deferred<String> e = new Deferred<>();
    List<Object> first =
        outcomes(
            DeferredList.firstSuccess(
                List.of(e),
                DeferredList.Flag.FIRE_ON_ONE_ERRBACK,
                DeferredList.Flag.CONSUME_ERRORS));
    e.errback(new IllegalStateException("e"));
    assertThat(first).singleElement().isInstanceOf(DeferredList.FirstError.class);

    Deferred<DeferredList.Indexed<String>> empty =
        DeferredList.firstSuccess(List.<Deferred<String>>of());
    assertThat(empty.called()).as("an empty list never fires, as in Twisted").isFalse();
  }

  @Test
  void raceTakesTheFirstSuccessAndCancelsTheRest() {
    List<String> cancelled = new ArrayList<>();
    Deferred<Integer> slow = new Deferred<>(self -> cancelled.add("slow"));
    Deferred<Integer> fast = new Deferred<>(self -> cancelled.add("fast"));
    Deferred<Integer> failing = new Deferred<>(self -> cancelled.add("failing"));
    List<Object> seen = outcomes(DeferredList.race(List.of(slow, fast, failing)));
    failing.errback(new IllegalStateException("no"));
    fast.callback(7);
    assertThat(seen).containsExactly(new Indexed<>(1, 7));
    assertThat(cancelled).containsExactly("slow");

    Deferred<Integer> x = new Deferred<>();
    Deferred<Integer> y = new Deferred<>();
    List<Object> lost = outcomes(DeferredList.race(List.of(x, y)));
    y.errback(new IllegalStateException("y"));
    x.errback(new IllegalArgumentException("x"));
    assertThat(lost)
        .singleElement()
        .isInstanceOfSatisfying(
            FailureGroup.class,
            group -> {
              assertThat(group.failures())
                  .as("in the order of the list, not of failing")
                  .extracting(f -> f.value().getMessage())
                  .containsExactly("x", "y");
              assertThat(group.getSuppressed()).hasSize(2);
            });

    Deferred<Integer> a = new Deferred<>();
    Deferred<Integer> b = new Deferred<>();
    Deferred<Indexed<Integer>> raced = DeferredList.race(List.of(a, b));
    List<Object> whole = outcomes(raced);
    raced.cancel(); // as Twisted's: every member cancelled, so every member failed
    assertThat(whole)
        .singleElement()
        .isInstanceOfSatisfying(
            FailureGroup.class,
            group ->
                assertThat(group.failures()).allMatch(f -> f.value() instanceof CancelledError));
    assertThat(a.called()).isTrue();
    assertThat(b.called()).isTrue();
  }

  // ---------------------------------------------------------------- errbacks returning Deferreds

  @Test
  void anErrbackThatReturnsADeferredIsChainedLikeACallbacks() {
    Deferred<String> later = new Deferred<>();
    Deferred<String> d = new Deferred<>();
    List<Object> seen = outcomes(d.addErrbackDeferred(failure -> later));
    d.errback(new IllegalStateException("first try failed"));
    assertThat(seen).isEmpty();
    later.callback("recovered");
    assertThat(seen).containsExactly("recovered");

    Deferred<String> value = new Deferred<>();
    List<Object> passed = outcomes(value.addErrbackDeferred(failure -> Deferred.succeed("unused")));
    value.callback("a value passes by");
    assertThat(passed).containsExactly("a value passes by");

    Deferred<String> again = new Deferred<>();
    List<Object> failed =
        outcomes(
            again.addErrbackDeferred(
                failure -> Deferred.fail(new IllegalArgumentException("still failing"))));
    again.errback(new IllegalStateException("first"));
    assertThat(failed).singleElement().isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void withACancellerALateResultIsAnErrorAsInTwisted() {
    // test_cancelWithCanceller...: Twisted sets _suppressAlreadyCalled only without a canceller
    Deferred<String> d = new Deferred<>(self -> {});
    List<Object> seen = outcomes(d);
    d.cancel();
    assertThat(seen).singleElement().isInstanceOf(CancelledError.class);
    assertThatThrownBy(() -> d.callback("late")).isInstanceOf(AlreadyCalledError.class);

    Deferred<String> plain = new Deferred<>();
    outcomes(plain);
    plain.cancel();
    plain.callback("late, ignored"); // no canceller: the work's one late result is swallowed
    assertThatThrownBy(() -> plain.callback("twice")).isInstanceOf(AlreadyCalledError.class);
  }

  // ---------------------------------------------------------------- debugging

  @Test
  void debugModeSwitchedAtRunTimeNamesWhereADeferredWasCreatedAndFirstFired() {
    Deferred<String> quiet = new Deferred<>();
    quiet.callback("one");
    assertThatThrownBy(() -> quiet.callback("two"))
        .isInstanceOf(AlreadyCalledError.class)
        .hasMessageContaining("Deferred.setDebugging(true)");

    Deferred.setDebugging(true);
    assertThat(Deferred.debugging()).isTrue();
    Deferred<String> traced = created();
    fire(traced);
    assertThatThrownBy(() -> traced.callback("two"))
        .isInstanceOf(AlreadyCalledError.class)
        .hasMessageContaining("created at io.torsion.DeferredTwistedSemanticsTest.created(")
        .hasMessageContaining("first fired at io.torsion.DeferredTwistedSemanticsTest.fire(")
        .satisfies(
            error -> {
              assertThat(error.getCause()).hasMessage("Deferred fired here");
              assertThat(error.getSuppressed())
                  .extracting(Throwable::getMessage)
                  .containsExactly("Deferred created here");
            });
    Deferred.setDebugging(false);
    Deferred<String> untraced = created();
    fire(untraced);
    assertThatThrownBy(() -> untraced.callback("two")).hasMessageNotContaining("created at");
  }

  private static Deferred<String> created() {
    return new Deferred<>();
  }

  private static void fire(Deferred<String> d) {
    d.callback("one");
  }
}
