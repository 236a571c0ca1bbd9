package io.torsion.spi;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * What a listening socket does when accepting fails (above all with EMFILE or ENFILE, out of file
 * descriptors): stop accepting and retry after a back-off that doubles from {@value
 * #FIRST_BACKOFF_MS} ms to {@value #MAX_BACKOFF_MS} ms, instead of spinning on a socket that stays
 * readable. It logs one warning per burst of failures (logger {@code io.torsion.ListeningPort}),
 * each further failure at debug level, and one line when accepting works again. One per listening
 * socket, used on its thread.
 */
public final class AcceptBackoff {
  /** The first wait after a failed accept. */
  public static final long FIRST_BACKOFF_MS = 10;

  /** The longest wait between attempts. */
  public static final long MAX_BACKOFF_MS = 1000;

  private static final System.Logger LOG = System.getLogger("io.torsion.ListeningPort");

  private int failures;
  private long burstStartNanos;
  private long backoffMs;

  /** Creates the back-off of one listening socket. */
  public AcceptBackoff() {}

  /**
   * Records a failed accept on {@code where}; returns how many milliseconds to wait before
   * accepting again.
   */
  public long failed(SocketAddress where, Throwable error) {
    if (failures++ == 0) {
      burstStartNanos = System.nanoTime();
      backoffMs = FIRST_BACKOFF_MS;
      LOG.log(
          Level.WARNING,
          "accept failed on {0}: {1}; pausing accepts and retrying with back-off"
              + " (up to every {2} ms). Existing connections are unaffected.",
          where,
          error.getMessage() == null ? error.toString() : error.getMessage(),
          MAX_BACKOFF_MS);
    } else {
      LOG.log(Level.DEBUG, "accept failed again on {0} (attempt {1}): {2}", where, failures, error);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    return backoffMs;
  }

  /** Records a successful accept; ends a burst of failures, if one was under way. */
  public void succeeded(SocketAddress where) {
    if (failures > 0) {
      LOG.log(
          Level.INFO,
          "accepting again on {0} after {1} failed attempt(s) over {2} ms",
          where,
          failures,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstStartNanos));
      failures = 0;
    }
  }
}
