package io.torsion.protocols.websocket.internal;

/**
 * What a peer did against the protocol, with the close code it earns (RFC 6455 7.4.1): 1002 for
 * framing, 1007 for invalid UTF-8, 1009 for a frame or message over the limits.
 */
public final class ProtocolViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** Creates a violation that closes the connection with {@code code}. */
  public ProtocolViolation(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** Returns the close code. */
  public int code() {
    return code;
  }
}
