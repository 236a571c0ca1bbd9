package io.torsion.protocols.websocket;

import io.torsion.Transport;
import io.torsion.protocols.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket connection's application code, server or client side: override the callbacks you
 * need, and send with the methods here. Every callback runs on the connection's reactor thread, and
 * so must every call (or from an inline body holding it).
 *
 * <pre>{@code
 * class Echo extends WebSocketProtocol {
 *   @Override
 *   protected void onText(String text) {
 *     sendText(text);
 *   }
 *
 *   @Override
 *   protected void onBinary(byte[] data) {
 *     sendBinary(data);
 *   }
 * }
 * }</pre>
 *
 * <p>Messages arrive whole, validated (text is well-formed UTF-8), inflated if compressed, up to
 * {@link WebSocketOptions#maxMessageSize()}. A protocol that overrides {@link #receivesFragments()}
 * gets each piece as it arrives instead, of any total size, and pauses the peer with {@code
 * transport().pauseProducing()} when it cannot keep up. Pings are answered, the closing handshake
 * is done for you, and a peer that breaks the protocol is closed with the code RFC 6455 gives for
 * it; {@link #onClose} says how it ended. After the connection started closing, what is sent is
 * dropped.
 */
public abstract class WebSocketProtocol {
  private WebSocketConnection connection;

  /** Subclasses only. */
  protected WebSocketProtocol() {}

  final void attach(WebSocketConnection connection) {
    if (this.connection != null) {
      throw new IllegalStateException(this + " is used by another connection already");
    }
    this.connection = connection;
  }

  private WebSocketConnection connection() {
    if (connection == null) {
      throw new IllegalStateException(this + " is not open yet; send from onOpen() on");
    }
    return connection;
  }

  // ---------------------------------------------------------------- callbacks

  /** The opening handshake is done: messages may flow. */
  protected void onOpen() {}

  /** A whole text message arrived. */
  protected void onText(String text) {}

  /** A whole binary message arrived; the array is the protocol's to keep. */
  protected void onBinary(byte[] data) {}

  /**
   * Returns true to get messages piece by piece through {@link #onFragment} rather than whole;
   * false by default.
   */
  protected boolean receivesFragments() {
    return false;
  }

  /**
   * A piece of a message, for a protocol that {@link #receivesFragments()}: {@code data} is valid
   * only during the call (text pieces may split a character; the whole is checked as UTF-8), and
   * {@code last} ends the message.
   */
  protected void onFragment(ByteBuffer data, boolean text, boolean last) {}

  /** A pong arrived (an answer to {@link #ping}, or unsolicited). */
  protected void onPong(byte[] payload) {}

  /** The connection has closed; nothing can be sent any more. */
  protected void onClose(CloseStatus status) {}

  // ---------------------------------------------------------------- sending

  /** Sends a text message (compressed if negotiated and worth it). */
  public final void sendText(String text) {
    connection().sendMessage(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Sends a binary message. */
  public final void sendBinary(byte[] data) {
    connection().sendMessage(false, ByteBuffer.wrap(data));
  }

  /** Sends the remaining bytes of {@code data} (not consumed) as a binary message. */
  public final void sendBinary(ByteBuffer data) {
    connection().sendMessage(false, data);
  }

  /**
   * Sends one fragment of a message streamed out piece by piece: the first fragment's {@code text}
   * gives the message's type, {@code last} ends it. No other message may be sent between a first
   * fragment and the last; control frames (pings, the close) may.
   *
   * @throws IllegalStateException if a whole message is sent while a fragmented one is open
   */
  public final void sendFragment(ByteBuffer data, boolean text, boolean last) {
    connection().sendFragment(data, text, last);
  }

  /** Sends a ping with up to 125 bytes of payload; the peer answers with a pong. */
  public final void ping(byte[] payload) {
    connection().ping(payload);
  }

  /** Starts the closing handshake with 1000 (normal). */
  public final void close() {
    close(CloseStatus.NORMAL, "");
  }

  /**
   * Starts the closing handshake with {@code code} and {@code reason}; the connection closes once
   * the peer answers (or after {@link WebSocketOptions#closeTimeout()}).
   *
   * @throws IllegalArgumentException for a code that may not be sent (1005, 1006, 1015, below 1000,
   *     unassigned) or a reason over 123 bytes of UTF-8
   */
  public final void close(int code, String reason) {
    connection().close(code, reason);
  }

  // ---------------------------------------------------------------- what the connection is

  /** Returns true between {@link #onOpen} and the start of the closing handshake. */
  public final boolean isOpen() {
    return connection != null && connection.isOpen();
  }

  /** Returns the subprotocol the handshake chose, or null if none. */
  public final String subprotocol() {
    return connection().subprotocol();
  }

  /** Returns true if {@code permessage-deflate} was negotiated. */
  public final boolean compressed() {
    return connection().compressed();
  }

  /** Returns the opening handshake's request, on a server; null on a client. */
  public final HttpRequest request() {
    return connection().request();
  }

  /** Returns the connection's transport (its peer, flow control). */
  public final Transport transport() {
    return connection().transport();
  }
}
