package io.torsion;

/** The host name could not be resolved to an address. */
public final class DNSLookupError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /** Creates the error naming the host that did not resolve. */
  public DNSLookupError(String message, Throwable cause) {
    super(message, cause);
  }
}
