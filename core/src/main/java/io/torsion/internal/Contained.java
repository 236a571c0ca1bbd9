package io.torsion.internal;

import io.torsion.Failure;
import io.torsion.Reactor;
import java.lang.System.Logger.Level;

/** Runs code whose exceptions must not escape into the loop: logged, and the reactor goes on. */
public final class Contained {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private Contained() {}

  /** Runs {@code code}; what it throws (but a fatal error) is logged as {@code what} threw. */
  public static void run(Runnable code, String what) {
    run(code, null, what);
  }

  /**
   * Runs {@code code}; what it throws (but a fatal error) is logged as {@code who}'s {@code what}
   * threw. {@code who} is turned into text only then: it may be costly (a connection's addresses).
   */
  public static void run(Runnable code, Object who, String what) {
    try {
      code.run();
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      LOG.log(
          Level.WARNING,
          (who == null ? "" : who + ": ") + what + " threw; the reactor goes on",
          error);
    }
  }
}
