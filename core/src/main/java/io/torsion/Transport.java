package io.torsion;

import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One connection as its {@link Protocol} sees it: write to it, close it, pause it.
 *
 * <p>All methods are called on the reactor thread that owns the connection (every protocol callback
 * already runs there); from any other thread, hop with {@link Reactor#callFromThread}. Calling from
 * another thread throws {@link IllegalStateException}.
 *
 * <p>Writes never block: data is queued and flushed as the socket accepts it, and {@link
 * #bufferedBytes()} tells how much is still queued. Each write copies what it needs, so the caller
 * may reuse its array or buffer as soon as the call returns.
 */
public interface Transport extends DataConsumer, PushProducer {
  /**
   * Queues the buffer's remaining bytes for sending, and advances its position to its limit. When
   * called from {@link Protocol#dataReceived} with the very buffer received, the bytes are sent
   * without a copy. If the queue then holds more than {@link ReactorOptions#writeBufferLimit()},
   * the connection is aborted with a {@link ConnectionAborted} saying so: stream large data with a
   * producer instead.
   *
   * <p>Reads follow writes: while more than the high watermark is queued and no producer is
   * registered, the connection stops reading until the queue falls below the low watermark, so a
   * peer that sends without reading is held back by TCP. Writes made while reading are judged at
   * the end of the read burst, once they are flushed (so an echo's writes are gathered into one
   * system call): a connection queues at most one burst of reads (1 MiB) beyond the watermark
   * ({@link ReactorOptions#readsFollowWrites()}). The queued output of all connections together is
   * bounded by {@link ReactorOptions#outputBudget()}.
   */
  @Override
  void write(ByteBuffer data);

  /** Queues all of {@code data} for sending. */
  default void write(byte[] data) {
    write(ByteBuffer.wrap(data));
  }

  /** Queues {@code text} encoded as UTF-8. */
  default void write(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Queues each buffer in order, as one write each; cheaper than separate calls when flushing. */
  default void writeSequence(Iterable<ByteBuffer> data) {
    for (ByteBuffer buffer : data) {
      write(buffer);
    }
  }

  /**
   * Closes the connection once every queued write has been sent (and, if a producer is registered,
   * once it has unregistered). The protocol then sees {@link Protocol#connectionLost} with {@link
   * ConnectionDone}. Further writes are ignored.
   */
  void loseConnection();

  /**
   * Closes the connection like {@link #loseConnection()} (queued writes are sent first, so an error
   * reply still reaches the peer), but because something went wrong: the protocol then sees {@link
   * ConnectionLost} with {@code reason}. For bad input: a line too long, a malformed frame.
   */
  void loseConnection(String reason);

  /**
   * Closes the connection now, discarding queued writes. The protocol then sees {@link
   * Protocol#connectionLost} with {@link ConnectionAborted}.
   */
  void abortConnection();

  /**
   * Half-closes the connection: sends the queued writes, then shuts down the write side (the peer
   * reads end-of-stream) while reading continues. Over TLS, close_notify goes first; on an engine
   * that reads nothing after its own close_notify (OpenSSL's, see {@link
   * io.torsion.tls.TlsOptions#halfCloses()}) the connection is closed instead.
   */
  void loseWriteConnection();

  /**
   * Hands this connection to {@code next}: it gets {@link Protocol#makeConnection} (so {@code
   * connectionMade}), then {@code unconsumed} (bytes the current protocol received but did not use)
   * as its first {@code dataReceived}, then every later event. The current protocol hears nothing
   * more, not even {@code connectionLost}. This is how a line protocol hands over after a command,
   * an HTTP server after {@code Upgrade}, a sniffing acceptor after the first bytes.
   */
  void switchProtocol(Protocol next, ByteBuffer unconsumed);

  /**
   * Returns true once the connection is closing or closed: after {@link #loseConnection()}, {@link
   * #abortConnection()}, or a close from the peer or the reactor (Twisted's {@code
   * transport.disconnecting}). A protocol checks it so as not to act on input that arrived after it
   * decided to close.
   */
  boolean disconnecting();

  /**
   * Starts TLS on this live connection (STARTTLS): see {@link #startTLS(TlsOptions, ByteBuffer)};
   * nothing read so far is TLS.
   */
  default Deferred<TlsInfo> startTLS(TlsOptions options) {
    return startTLS(options, null);
  }

  /**
   * Starts TLS on this live connection, as the server with {@link io.torsion.tls.TlsServerOptions}
   * or as the client with {@link io.torsion.tls.TlsClientOptions} (a client sends its hello at
   * once). What was written before this call is sent in plaintext first; what is written after is
   * encrypted, once the handshake is done. {@code alreadyReceived} holds the bytes the protocol
   * read but did not consume, which are the peer's first TLS bytes (null or empty when none); every
   * later {@link Protocol#dataReceived} is plaintext decrypted. Called on the reactor thread.
   *
   * <pre>{@code
   * // a line protocol's STARTTLS command, on the server
   * sendLine("220 go ahead");
   * transport.startTLS(serverTls, clearLineBuffer());
   * }</pre>
   *
   * @return a Deferred that fires with the session's facts once the handshake is done, or fails
   *     with a {@link TlsHandshakeError} (the connection is then closed: the protocol hears {@link
   *     ConnectionLost} whose cause is that error)
   * @throws IllegalStateException if the connection is closing or already speaks TLS
   */
  Deferred<TlsInfo> startTLS(TlsOptions options, ByteBuffer alreadyReceived);

  /**
   * Returns the established TLS session's facts (version, cipher, SNI name, ALPN protocol, peer
   * certificates), or null when the connection does not speak TLS or its handshake is not done. A
   * connection made by {@link Reactor#listenSSL} or {@link Reactor#connectSSL} has them in {@code
   * connectionMade} already.
   */
  TlsInfo tls();

  /** Returns the address of the remote side. */
  SocketAddress getPeer();

  /**
   * Returns the kernel's word on who the peer is, for a UNIX domain socket where the transport and
   * the OS give it (epoll, io_uring, kqueue); null otherwise (TCP, and NIO's UNIX sockets).
   */
  default PeerCredentials peerCredentials() {
    return null;
  }

  /** Returns the address of this side. */
  SocketAddress getHost();

  /**
   * Returns how much memory the writes not yet handed to the operating system hold: their bytes
   * plus a small fixed bookkeeping overhead per write. Zero once everything is sent.
   */
  long bufferedBytes();

  /**
   * Stops reading from the connection: no further {@link Protocol#dataReceived} until {@link
   * #resumeProducing()}. The peer is slowed down by TCP flow control; nothing is lost.
   */
  @Override
  void pauseProducing();

  /** Resumes reading after {@link #pauseProducing()}. */
  @Override
  void resumeProducing();

  /** Aborts the connection, as {@link #abortConnection()}. */
  @Override
  default void stopProducing() {
    abortConnection();
  }
}
