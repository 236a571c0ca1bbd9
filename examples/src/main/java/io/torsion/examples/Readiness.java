package io.torsion.examples;

import java.util.function.BooleanSupplier;

/**
 * Whether the demo wants new work, as {@code /readyz} tells a load balancer: not once a drain has
 * begun (SIGTERM, then {@code --drain-delay} seconds of serving before the ports close), nor while
 * a board kept in Redis cannot reach it. Used on the reactor thread only.
 */
final class Readiness {
  private final BooleanSupplier boardAvailable;
  private boolean draining;

  Readiness() {
    this(() -> true);
  }

  Readiness(BooleanSupplier boardAvailable) {
    this.boardAvailable = boardAvailable;
  }

  /** From now on the process is not ready: it is draining. */
  void drain() {
    draining = true;
  }

  /** Returns null when ready, otherwise why not. */
  String whyNot() {
    if (draining) {
      return "draining";
    }
    return boardAvailable.getAsBoolean() ? null : "the board's Redis is unavailable";
  }
}
