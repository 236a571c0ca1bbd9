package io.torsion.internal;

import io.torsion.Reactor;
import java.lang.System.Logger.Level;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reactor-wide bound on queued output ({@link io.torsion.ReactorOptions#outputBudget()}). Each
 * connection charges what it has queued whenever it writes or its writability flips; between
 * charges its real queue only shrinks, so the total is an upper bound that costs one atomic add per
 * write. When the total passes the budget, the writing connection's loop {@linkplain #settle
 * settles}: it recharges its connections with what they really hold and, if still over seven
 * eighths of the budget, aborts the ones holding the most until it is under that, with one warning
 * for the lot. The headroom makes settling rare (at most once per eighth of the budget written), so
 * a loop with many connections near the budget does not spend its time recounting them, and each
 * settle aborts few, so that no turn of the loop is spent closing hundreds.
 */
final class OutputBudget {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());
  private static final Comparator<Connection> MOST_FIRST =
      Comparator.comparingLong((Connection c) -> c.charged()).reversed();

  private final long limit;
  private final AtomicLong total = new AtomicLong();

  OutputBudget(long limit) {
    this.limit = limit;
  }

  /**
   * Sets what {@code connection} holds to {@code bytes}; returns true if the total is now over the
   * budget.
   */
  boolean charge(Connection connection, long bytes) {
    long delta = bytes - connection.charged();
    if (delta == 0) {
      return false;
    }
    connection.charged(bytes);
    long now = total.addAndGet(delta);
    return delta > 0 && now > limit; // only growth calls for settling
  }

  /** Drops what a closed or aborted connection held. */
  void release(Connection connection) {
    charge(connection, 0);
  }

  /**
   * Recharges the connections of {@code loop}, then aborts the biggest holders while over budget.
   */
  void settle(Loop loop) {
    List<Connection> connections = loop.connections();
    for (Connection connection : connections) {
      connection.recharge();
    }
    long target = limit - limit / 8;
    if (total.get() <= target) {
      return;
    }
    connections.sort(MOST_FIRST);
    int aborted = 0;
    long freed = 0;
    for (Connection connection : connections) {
      if (total.get() <= target || connection.charged() == 0) {
        break;
      }
      freed += connection.charged();
      connection.abortOverBudget(limit);
      release(connection);
      aborted++;
    }
    LOG.log(
        Level.WARNING,
        "output queued by all connections passed the budget of {0} bytes: aborted {1}"
            + " connection(s) holding the most ({2} bytes), whose peers do not read",
        limit,
        aborted,
        freed);
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
