package io.torsion.testing;

import static io.torsion.testing.DeferredResults.assertNoResult;
import static io.torsion.testing.DeferredResults.failureResultOf;
import static io.torsion.testing.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.Deferred;
import io.torsion.Failure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** trial's SynchronousTestCase helpers, with trial's own cases as the reference. */
class DeferredResultsTest {
  @Test
  void successResultOfReturnsTheValueAndTakesIt() {
    Deferred<String> d = Deferred.succeed("value");
    assertThat(successResultOf(d)).isEqualTo("value");
    List<Object> after = new ArrayList<>();
    d.addCallback(after::add);
    assertThat(after).as("the chain goes on with null, as trial's").containsExactly((Object) null);
    assertThatThrownBy(() -> successResultOf(new Deferred<String>()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found no result");
    assertThatThrownBy(() -> successResultOf(Deferred.fail(new IllegalStateException("boom"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found a failure: ")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void failureResultOfChecksTheTypeAndHandlesTheFailure() {
    Failure failure = failureResultOf(Deferred.fail(new IllegalStateException("boom")));
    assertThat(failure.value()).hasMessage("boom");
    assertThat(
            failureResultOf(
                    Deferred.fail(new IllegalStateException("x")),
                    IllegalArgumentException.class,
                    IllegalStateException.class)
                .value())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                failureResultOf(
                    Deferred.fail(new IllegalStateException("x")), ArithmeticException.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArithmeticException");
    assertThatThrownBy(() -> failureResultOf(Deferred.succeed(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found success: 1");
    assertThatThrownBy(() -> failureResultOf(new Deferred<>()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found no result");
  }

  @Test
  void assertNoResultLeavesALaterResultToTheChain() {
    Deferred<String> pending = new Deferred<>();
    assertNoResult(pending);
    pending.callback("later");
    assertThat(successResultOf(pending)).isEqualTo("later");
    assertThatThrownBy(() -> assertNoResult(Deferred.succeed("now")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found a value: now");
    assertThatThrownBy(() -> assertNoResult(Deferred.fail(new IllegalStateException("no"))))
        .isInstanceOf(AssertionError.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    Deferred<String> paused = Deferred.succeed("held");
    paused.pause();
    assertNoResult(paused); // fired, but paused: no result to see yet
    paused.unpause();
    assertThat(successResultOf(paused)).isEqualTo("held");
  }
}
