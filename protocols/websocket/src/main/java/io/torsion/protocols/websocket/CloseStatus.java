package io.torsion.protocols.websocket;

/**
 * How a WebSocket connection ended (RFC 6455 7.1.5, 7.4): the close code and reason the peer sent
 * (or this side, if the peer sent none), and whether the closing handshake completed.
 *
 * @param code the close code; {@link #NO_STATUS} if the close frame had none, {@link #ABNORMAL} if
 *     the connection dropped without one
 * @param reason the reason text, empty if none
 * @param clean true if both sides sent a close frame before the connection closed
 */
public record CloseStatus(int code, String reason, boolean clean) {
  /** 1000: the purpose of the connection was fulfilled. */
  public static final int NORMAL = 1000;

  /** 1001: the endpoint goes away (a server shutting down, a page navigated away). */
  public static final int GOING_AWAY = 1001;

  /** 1002: the peer broke the protocol. */
  public static final int PROTOCOL_ERROR = 1002;

  /** 1003: a kind of message the endpoint cannot take (binary to a text-only one). */
  public static final int UNSUPPORTED_DATA = 1003;

  /** 1005: the close frame carried no code (never sent on the wire). */
  public static final int NO_STATUS = 1005;

  /** 1006: the connection closed without a close frame (never sent on the wire). */
  public static final int ABNORMAL = 1006;

  /** 1007: a message's data did not match its type (text that is not UTF-8). */
  public static final int INVALID_PAYLOAD = 1007;

  /** 1008: the message broke the endpoint's policy. */
  public static final int POLICY_VIOLATION = 1008;

  /** 1009: a frame or message too large to take. */
  public static final int TOO_BIG = 1009;

  /** 1010: the client needed an extension the server did not accept. */
  public static final int MANDATORY_EXTENSION = 1010;

  /** 1011: the server met an unexpected condition. */
  public static final int INTERNAL_ERROR = 1011;

  /** Returns true if {@code code} may be sent in a close frame (RFC 6455 7.4, IANA's registry). */
  public static boolean isValidOnTheWire(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}
