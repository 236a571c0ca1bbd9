package io.torsion;

import java.util.Objects;

/**
 * An error travelling down a {@link Deferred}'s errback chain: a wrapper around the {@link
 * Throwable} with Twisted's helpers for deciding whether to handle it.
 *
 * <pre>{@code
 * deferred.addErrback(failure -> {
 *     failure.trap(ConnectionRefusedError.class); // anything else propagates unchanged
 *     return fallbackValue;
 * });
 * }</pre>
 */
public final class Failure {
  private final Throwable value;

  private Failure(Throwable value) {
    this.value = value;
  }

  /** Returns a failure wrapping {@code error}; never wraps a failure twice. */
  public static Failure of(Throwable error) {
    Objects.requireNonNull(error, "error");
    return new Failure(error);
  }

  /** Returns the wrapped error. */
  public Throwable value() {
    return value;
  }

  /**
   * Returns the first of {@code types} that the error is an instance of, or null when none matches.
   */
  @SafeVarargs
  public final Class<? extends Throwable> check(Class<? extends Throwable>... types) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(value)) {
        return type;
      }
    }
    return null;
  }

  /**
   * Returns the first of {@code types} that the error is an instance of; when none matches,
   * rethrows the original error unchanged, so that the errback chain carries it on.
   */
  @SafeVarargs
  public final Class<? extends Throwable> trap(Class<? extends Throwable>... types) {
    Class<? extends Throwable> match = check(types);
    if (match == null) {
      throw Failure.<RuntimeException>sneaky(value);
    }
    return match;
  }

  /** Returns a one-line description: the error's class and message. */
  public String message() {
    String text = value.getMessage();
    return text == null ? value.getClass().getName() : value.getClass().getName() + ": " + text;
  }

  @Override
  public String toString() {
    return "Failure[" + message() + "]";
  }

  /**
   * Rethrows {@code error} if it is one after which the JVM cannot be trusted to go on (a {@link
   * VirtualMachineError} other than {@link StackOverflowError}); code that contains the exceptions
   * of callbacks calls this first.
   */
  public static void rethrowIfFatal(Throwable error) {
    if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
      throw (VirtualMachineError) error;
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneaky(Throwable error) throws E {
    throw (E) error;
  }
}
