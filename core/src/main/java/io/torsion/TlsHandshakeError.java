package io.torsion;

/**
 * A TLS handshake failed: the connection was made, but no TLS session came of it. {@link
 * Reactor#connectSSL} fails its Deferred with one, and a protocol that called {@link
 * Transport#startTLS} hears it as the reason in {@code connectionLost}; {@link #reason()} says why
 * in a form code can act on, the message in words.
 */
public final class TlsHandshakeError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /** Why a handshake failed. */
  public enum Reason {
    /** The peer's certificate is not signed by an authority this side trusts. */
    UNKNOWN_CA,
    /** The server's certificate does not name the host connected to. */
    HOSTNAME_MISMATCH,
    /** A certificate has expired, or is not yet valid. */
    EXPIRED,
    /** The two sides share no protocol version (such as a TLS 1.0-only peer). */
    PROTOCOL_VERSION,
    /** The two sides share no cipher suite, or no ALPN protocol. */
    NO_COMMON_PARAMETERS,
    /** The server requires a client certificate and none (or a bad one) was sent. */
    CLIENT_CERTIFICATE_REJECTED,
    /** The peer does not speak TLS (plain HTTP to a TLS port, or garbage). */
    NOT_TLS,
    /** The handshake did not finish within its timeout. */
    TIMEOUT,
    /** The peer closed the connection during the handshake. */
    CLOSED,
    /** Anything else; the message and cause tell. */
    OTHER
  }

  private final Reason reason;

  /** Creates the error with its reason, a message naming the peer, and the engine's exception. */
  public TlsHandshakeError(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /** Returns why the handshake failed. */
  public Reason reason() {
    return reason;
  }
}
