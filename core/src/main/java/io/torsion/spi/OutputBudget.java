package io.torsion.spi;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reactor-wide bound on queued output ({@link io.torsion.ReactorOptions#outputBudget()}).
 * Each connection charges what it has queued whenever it writes or its writability flips; between
 * charges its real queue only shrinks, so the total is an upper bound that costs one atomic add
 * per write. When the total passes the budget, the writing connection's loop {@linkplain #settle
 * settles}: it recharges its connections with what they really hold and, if still over
 * three quarters of the budget, aborts the ones holding the most until it is under that. The
 * headroom makes settling rare (at most once per quarter of the budget written), so a loop with
 * many connections near the budget does not spend its time recounting them.
 */
final class OutputBudget {
  private static final Comparator<AbstractConnection> MOST_FIRST =
      Comparator.comparingLong((AbstractConnection c) -> c.charged()).reversed();

  private final long limit;
  private final AtomicLong total = new AtomicLong();

  OutputBudget(long limit) {
    this.limit = limit;
  }

  /** Sets what {@code connection} holds to {@code bytes}; returns true if the total is now over the budget. */
  boolean charge(AbstractConnection connection, long bytes) {
    long delta = bytes - connection.charged();
    if (delta == 0) {
      return false;
    }
    connection.charged(bytes);
    long now = total.addAndGet(delta);
    return delta > 0 && now > limit; // only growth calls for settling
  }

  /** Drops what a closed or aborted connection held. */
  void release(AbstractConnection connection) {
    charge(connection, 0);
  }

  /** Recharges the connections of {@code loop}, then aborts the biggest holders while over budget. */
  void settle(ReactorLoop loop) {
    List<AbstractConnection> connections = loop.connections();
    for (AbstractConnection connection : connections) {
      connection.recharge();
    }
    long target = limit - limit / 4;
    if (total.get() <= target) {
      return;
    }
    connections.sort(MOST_FIRST);
    for (AbstractConnection connection : connections) {
      if (total.get() <= target || connection.charged() == 0) {
        return;
      }
      connection.abortOverBudget(limit);
      release(connection);
    }
  }

  /** Returns the budget, in bytes. */
  long limit() {
    return limit;
  }

  /** Returns the queued output charged now (an upper bound of what is really queued). */
  long charged() {
    return total.get();
  }
}
