package io.torsion.spi;

import java.util.Objects;

/**
 * Whether a {@link ReactorProvider} can run on this machine and, if not, why.
 *
 * @param available whether it can run
 * @param reason {@code "available"}, or a sentence naming the cause and, where one exists, the fix
 * @param cause the underlying error (for example, why a native library did not load), or null
 */
public record Availability(boolean available, String reason, Throwable cause) {
  /** The availability of a provider that can run. */
  public static final Availability AVAILABLE = new Availability(true, "available", null);

  /** Requires a reason. */
  public Availability {
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns the availability of a provider that cannot run, with why. */
  public static Availability unavailable(String reason, Throwable cause) {
    return new Availability(false, reason, cause);
  }

  /** Returns {@code "available"} or {@code "unavailable: <reason>"}. */
  public String describe() {
    if (available) {
      return reason;
    }
    String text = "unavailable: " + reason;
    return cause == null || reason.contains(String.valueOf(cause.getMessage()))
        ? text
        : text + " (" + cause + ")";
  }
}
