package io.torsion.testing;

import io.torsion.Deferred;
import io.torsion.Failure;
import java.util.Arrays;

/**
 * Assertions on Deferreds for tests that run without a reactor, in the manner of trial's {@code
 * SynchronousTestCase}: {@link #successResultOf}, {@link #failureResultOf}, {@link
 * #assertNoResult}. They fail with {@link AssertionError} (any test framework reports it). As
 * Twisted's, the first two take the result: the chain continues with null, and a failure taken is
 * handled.
 *
 * <pre>{@code
 * Deferred<String> reply = client.send("hello");
 * assertNoResult(reply);
 * transport.receive("hello\r\n");
 * assertThat(successResultOf(reply)).isEqualTo("hello");
 * }</pre>
 */
public final class DeferredResults {
  private DeferredResults() {}

  private static final class Outcome {
    boolean arrived;
    Object value;
    Failure failure;
  }

  private static Outcome take(Deferred<?> deferred) {
    Outcome outcome = new Outcome();
    deferred.addCallbacks(
        value -> {
          outcome.arrived = true;
          outcome.value = value;
          return null;
        },
        failure -> {
          outcome.arrived = true;
          outcome.failure = failure;
          return null;
        });
    return outcome;
  }

  /**
   * Returns the value {@code deferred} has now.
   *
   * @throws AssertionError if it has no result yet, or failed (the failure is the cause)
   */
  @SuppressWarnings("unchecked")
  public static <T> T successResultOf(Deferred<T> deferred) {
    Outcome outcome = take(deferred);
    if (!outcome.arrived) {
      throw new AssertionError("Success result expected on " + deferred + ", found no result");
    }
    if (outcome.failure != null) {
      throw new AssertionError(
          "Success result expected on "
              + deferred
              + ", found a failure: "
              + outcome.failure.message(),
          outcome.failure.value());
    }
    return (T) outcome.value;
  }

  /**
   * Returns the failure {@code deferred} has now, which must be one of {@code types} if any are
   * given.
   *
   * @throws AssertionError if it has no result yet, succeeded, or failed otherwise
   */
  public static Failure failureResultOf(Deferred<?> deferred, Class<?>... types) {
    Outcome outcome = take(deferred);
    if (!outcome.arrived) {
      throw new AssertionError("Failure result expected on " + deferred + ", found no result");
    }
    if (outcome.failure == null) {
      throw new AssertionError(
          "Failure result expected on " + deferred + ", found success: " + outcome.value);
    }
    if (types.length > 0 && !oneOf(outcome.failure, types)) {
      throw new AssertionError(
          "Failure of one of "
              + Arrays.toString(types)
              + " expected on "
              + deferred
              + ", found "
              + outcome.failure.message(),
          outcome.failure.value());
    }
    return outcome.failure;
  }

  private static boolean oneOf(Failure failure, Class<?>[] types) {
    for (Class<?> type : types) {
      if (type.isInstance(failure.value())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks that {@code deferred} has no result yet; a result that comes later continues its chain
   * unchanged. If it has one, the assertion fails (a failure then is its cause, and handled).
   */
  public static void assertNoResult(Deferred<?> deferred) {
    Outcome outcome = new Outcome();
    deferred.addBoth(
        (value, failure) -> {
          outcome.arrived = true;
          outcome.value = value;
          outcome.failure = failure;
          return failure != null ? failure : value; // passes through: a later result continues
        });
    if (!outcome.arrived) {
      return;
    }
    if (outcome.failure != null) {
      deferred.addErrback(reported -> null); // the assertion reports it
    }
    throw new AssertionError(
        "No result expected on "
            + deferred
            + ", found "
            + (outcome.failure != null
                ? "a failure: " + outcome.failure.message()
                : "a value: " + outcome.value),
        outcome.failure == null ? null : outcome.failure.value());
  }
}
