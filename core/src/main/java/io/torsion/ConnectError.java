package io.torsion;

import java.io.IOException;

/**
 * An outgoing connection could not be established. {@link Reactor#connectTCP} fails its {@link
 * Deferred} with one of the subclasses when the cause is known: {@link ConnectionRefusedError},
 * {@link ConnectTimeoutError}, {@link DNSLookupError}, {@link TlsHandshakeError}.
 */
public sealed class ConnectError extends IOException
    permits ConnectionRefusedError, ConnectTimeoutError, DNSLookupError, TlsHandshakeError {
  private static final long serialVersionUID = 1L;

  /** Creates a connect error naming the destination and the underlying cause. */
  public ConnectError(String message, Throwable cause) {
    super(message, cause);
  }
}
