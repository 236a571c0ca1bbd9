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
    try {
      code.run();
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      LOG.log(Level.WARNING, what + " threw; the reactor goes on", error);
    }
  }
}
