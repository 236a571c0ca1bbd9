package io.torsion.posix;

import io.torsion.posix.internal.NativeRlimit;
import java.io.File;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The per-process limit on open file descriptors ({@code RLIMIT_NOFILE}), the limit every socket
 * counts against: read it, raise the soft limit to the hard one, and describe both for a reactor's
 * report. Linux and macOS, through JNA; elsewhere, or where JNA cannot load, every method says so
 * instead of failing.
 *
 * <pre>{@code
 * FileDescriptorLimit.Outcome outcome = FileDescriptorLimit.raiseToHardLimit();
 * log.info(outcome.describe());   // "open files: soft 1024 -> 524288 (raised to the hard limit), hard 524288"
 * }</pre>
 */
public final class FileDescriptorLimit {
  /** The system property that disables raising the soft limit when set to {@code false}. */
  public static final String RAISE_PROPERTY = "torsion.rlimit.raise";

  private static final System.Logger LOG = System.getLogger(FileDescriptorLimit.class.getName());

  /** macOS refuses a soft limit above OPEN_MAX even when the hard limit is "unlimited". */
  private static final long MACOS_OPEN_MAX = 10240;

  private static final NativeRlimit NATIVE = NativeRlimit.load();
  private static Outcome raised;

  private FileDescriptorLimit() {}

  /**
   * The limits before and after an attempt to raise them.
   *
   * @param before the limits found, or null when they could not be read
   * @param after the limits now in force, or null when they could not be read
   * @param note why nothing was changed, or what went wrong; empty when the soft limit was raised
   */
  public record Outcome(Limits before, Limits after, String note) {
    /**
     * Returns one line for a report, e.g. {@code open files: soft 1024 -> 4096 (...), hard 4096}.
     */
    public String describe() {
      if (after == null) {
        return "open files: limit unknown (" + note + ")";
      }
      if (before != null && before.soft() != after.soft()) {
        return "open files: soft "
            + before.soft()
            + " -> "
            + after.soft()
            + " (raised to the hard limit), hard "
            + after.hardText();
      }
      return "open files: soft "
          + after.soft()
          + ", hard "
          + after.hardText()
          + (note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  /**
   * A soft and a hard limit.
   *
   * @param soft the limit in force
   * @param hard the ceiling the soft limit may be raised to without privileges
   */
  public record Limits(long soft, long hard) {
    String hardText() {
      return hard < 0 || hard == Long.MAX_VALUE ? "unlimited" : Long.toString(hard);
    }
  }

  /** Returns the current limits, or empty when they cannot be read here. */
  public static Optional<Limits> read() {
    long[] limits = NATIVE.get();
    return limits == null ? Optional.empty() : Optional.of(new Limits(limits[0], limits[1]));
  }

  /**
   * Raises the soft limit to the hard limit once per process (later calls return the first
   * outcome), unless {@code -Dtorsion.rlimit.raise=false}. Never throws.
   */
  public static synchronized Outcome raiseToHardLimit() {
    if (raised == null) {
      raised = raise();
    }
    return raised;
  }

  static Outcome raise() { // package-private for tests; raiseToHardLimit() caches it
    Optional<Limits> found = read();
    if (found.isEmpty()) {
      return new Outcome(null, null, NATIVE.unavailableReason());
    }
    Limits before = found.get();
    if ("false".equalsIgnoreCase(System.getProperty(RAISE_PROPERTY))) {
      return new Outcome(before, before, "not raised: -D" + RAISE_PROPERTY + "=false");
    }
    long target = before.hard();
    if (NATIVE.macos() && (target < 0 || target > MACOS_OPEN_MAX)) {
      target = Math.max(before.soft(), MACOS_OPEN_MAX);
    }
    if (before.soft() >= target && before.soft() >= 0) {
      return new Outcome(before, before, "already at the hard limit");
    }
    try {
      setSoftLimit(target);
    } catch (IllegalStateException e) {
      LOG.log(Level.WARNING, "could not raise the open-files soft limit: {0}", e.getMessage());
      return new Outcome(before, before, "raising failed: " + e.getMessage());
    }
    return new Outcome(before, read().orElse(before), "");
  }

  /**
   * Sets the soft limit; the hard limit stays. Tests use it to exhaust descriptors on purpose.
   *
   * @throws IllegalStateException if the limit cannot be set here, with why
   */
  public static void setSoftLimit(long soft) {
    NATIVE.setSoft(soft);
  }

  /** Returns how many descriptors this process has open, or -1 when that cannot be counted. */
  public static int openDescriptors() {
    for (String dir : new String[] {"/proc/self/fd", "/dev/fd"}) {
      String[] entries = new File(dir).list();
      if (entries != null) {
        return entries.length - 1; // the listing itself holds one open
      }
    }
    return -1;
  }
}
