package io.torsion;

/** The connection was closed cleanly: by this side after its writes flushed, or by the peer. */
public final class ConnectionDone extends ConnectionClosed {
  private static final long serialVersionUID = 1L;

  /** Creates a clean-close reason with the given explanation. */
  public ConnectionDone(String message) {
    super(message, null);
  }

  /**
   * Records no stack trace: a clean close is no error, and every closing connection makes one
   * (filling in the loop's stack cost more than the rest of the close).
   */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  @Override
  public boolean isClean() {
    return true;
  }
}
