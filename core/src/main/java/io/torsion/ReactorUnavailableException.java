package io.torsion;

/**
 * No reactor could be created: the requested transport is unknown, not on the class path, or cannot
 * run on this machine. The message names the cause and lists every transport provider found with
 * its status, for example:
 *
 * <pre>
 * torsion.reactor=bogus (from system property torsion.reactor) names no transport provider.
 * Providers found: nio (available, priority 10), epoll (available, priority 100)
 * </pre>
 */
public final class ReactorUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the cause and lists the providers. */
  public ReactorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
