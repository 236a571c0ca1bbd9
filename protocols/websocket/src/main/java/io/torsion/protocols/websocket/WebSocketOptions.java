package io.torsion.protocols.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timers of WebSocket connections, server and client. The defaults:
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>what happens beyond it</th></tr>
 *   <tr><td>{@link #maxFrameSize()}</td><td>1 MiB</td><td>closed with 1009</td></tr>
 *   <tr><td>{@link #maxMessageSize()}</td><td>1 MiB (also the bound on an inflated message)</td>
 *       <td>closed with 1009; a protocol that streams fragments sees any size</td></tr>
 *   <tr><td>{@link #compression()}</td><td>on: {@code permessage-deflate} when the peer offers
 *       (server) or accepts (client) it</td><td></td></tr>
 *   <tr><td>{@link #pingInterval()}</td><td>30 s without a frame from the peer: a ping</td>
 *       <td></td></tr>
 *   <tr><td>{@link #pongTimeout()}</td><td>30 s for anything after that ping</td>
 *       <td>closed with 1001, then dropped</td></tr>
 *   <tr><td>{@link #closeTimeout()}</td><td>5 s for the peer's close frame (or, on a client, for
 *       the server to close the TCP connection)</td><td>dropped</td></tr>
 *   <tr><td>{@link #handshakeTimeout()}</td><td>10 s for a client's opening handshake</td>
 *       <td>the connect fails</td></tr>
 * </table>
 *
 * @param maxFrameSize the largest frame payload accepted, in bytes
 * @param maxMessageSize the largest message accepted whole (after inflating), in bytes
 * @param compression whether to negotiate {@code permessage-deflate}
 * @param pingInterval how long the peer may be silent before a ping; zero for none
 * @param pongTimeout how long to wait for any frame after that ping
 * @param closeTimeout how long the closing handshake may take
 * @param handshakeTimeout how long a client waits for the server's opening handshake
 */
public record WebSocketOptions(
    int maxFrameSize,
    int maxMessageSize,
    boolean compression,
    Duration pingInterval,
    Duration pongTimeout,
    Duration closeTimeout,
    Duration handshakeTimeout) {

  /** Checks the values. */
  public WebSocketOptions {
    if (maxFrameSize < 125 || maxMessageSize < 1) {
      throw new IllegalArgumentException(
          "maxFrameSize must be at least 125 and maxMessageSize positive");
    }
    Objects.requireNonNull(pingInterval, "pingInterval");
    Objects.requireNonNull(pongTimeout, "pongTimeout");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (pingInterval.isNegative()
        || !positive(pongTimeout)
        || !positive(closeTimeout)
        || !positive(handshakeTimeout)) {
      throw new IllegalArgumentException("timeouts must be positive (pingInterval may be zero)");
    }
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  /** Returns the defaults of the table above. */
  public static WebSocketOptions defaults() {
    return new WebSocketOptions(
        1 << 20,
        1 << 20,
        true,
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10));
  }

  /** Returns these options with other size limits. */
  public WebSocketOptions withLimits(int maxFrameSize, int maxMessageSize) {
    return new WebSocketOptions(
        maxFrameSize,
        maxMessageSize,
        compression,
        pingInterval,
        pongTimeout,
        closeTimeout,
        handshakeTimeout);
  }

  /** Returns these options with compression on or off. */
  public WebSocketOptions withCompression(boolean on) {
    return new WebSocketOptions(
        maxFrameSize,
        maxMessageSize,
        on,
        pingInterval,
        pongTimeout,
        closeTimeout,
        handshakeTimeout);
  }

  /** Returns these options with another keep-alive: a ping after {@code interval} of silence. */
  public WebSocketOptions withKeepAlive(Duration interval, Duration timeout) {
    return new WebSocketOptions(
        maxFrameSize,
        maxMessageSize,
        compression,
        interval,
        timeout,
        closeTimeout,
        handshakeTimeout);
  }

  /** Returns these options with another closing-handshake timeout. */
  public WebSocketOptions withCloseTimeout(Duration timeout) {
    return new WebSocketOptions(
        maxFrameSize,
        maxMessageSize,
        compression,
        pingInterval,
        pongTimeout,
        timeout,
        handshakeTimeout);
  }
}
