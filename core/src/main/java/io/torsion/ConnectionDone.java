package io.torsion;

/** The connection was closed cleanly: by this side after its writes flushed, or by the peer. */
public final class ConnectionDone extends ConnectionClosed {
  private static final long serialVersionUID = 1L;

  /** Creates a clean-close reason with the given explanation. */
  public ConnectionDone(String message) {
    super(message, null);
  }

  @Override
  public boolean isClean() {
    return true;
  }
}
