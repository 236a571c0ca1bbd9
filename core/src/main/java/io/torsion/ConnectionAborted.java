package io.torsion;

/**
 * The connection was closed at once by this side with {@link Transport#abortConnection()} (or by
 * the framework on the protocol's behalf, for example when a limit was exceeded); pending writes
 * were discarded.
 */
public final class ConnectionAborted extends ConnectionLost {
  private static final long serialVersionUID = 1L;

  /** Creates an abort reason with an explanation and the error that caused it (or null). */
  public ConnectionAborted(String message, Throwable cause) {
    super(message, cause);
  }
}
