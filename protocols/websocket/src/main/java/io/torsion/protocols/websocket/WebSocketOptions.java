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
 *   <tr><td>{@link #minMessageRate()}</td><td>1024 bytes/s over each {@value #RATE_WINDOW_SECONDS} s
 *       while a frame or message is partly received (not counted while output is queued: the peer
 *       may be waiting for us)</td><td>closed with 1008</td></tr>
 *   <tr><td>{@link #closeTimeout()}</td><td>5 s for the peer's close frame (or, on a client, for
 *       the server to close the TCP connection); also for our close frame to get out when we fail
 *       the connection</td><td>dropped</td></tr>
 *   <tr><td>{@link #handshakeTimeout()}</td><td>10 s for a client's opening handshake</td>
 *       <td>the connect fails</td></tr>
 * </table>
 *
 * @param maxFrameSize the largest frame payload accepted, in bytes
 * @param maxMessageSize the largest message accepted whole (after inflating), in bytes
 * @param compression whether to negotiate {@code permessage-deflate}
 * @param pingInterval how long the peer may be silent before a ping; zero for none
 * @param pongTimeout how long to wait for any frame after that ping
 * @param minMessageRate the slowest a frame or message may arrive, in bytes per second; zero for no
 *     limit
 * @param closeTimeout how long the closing handshake may take
 * @param handshakeTimeout how long a client waits for the server's opening handshake
 */
public record WebSocketOptions(
    int maxFrameSize,
    int maxMessageSize,
    boolean compression,
    Duration pingInterval,
    Duration pongTimeout,
    int minMessageRate,
    Duration closeTimeout,
    Duration handshakeTimeout) {

  /** The window over which {@link #minMessageRate()} is measured, in seconds. */
  public static final int RATE_WINDOW_SECONDS = 5;

  /** Checks the values. */
  public WebSocketOptions {
    if (minMessageRate < 0) {
      throw new IllegalArgumentException("minMessageRate must not be negative");
    }
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
        1024,
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
        minMessageRate,
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
        minMessageRate,
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
        minMessageRate,
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
        minMessageRate,
        timeout,
        handshakeTimeout);
  }

  /**
   * Returns these options with another minimum rate for frames and messages in progress, in bytes
   * per second; zero turns the check off.
   */
  public WebSocketOptions withMinMessageRate(int bytesPerSecond) {
    return new WebSocketOptions(
        maxFrameSize,
        maxMessageSize,
        compression,
        pingInterval,
        pongTimeout,
        bytesPerSecond,
        closeTimeout,
        handshakeTimeout);
  }
}
