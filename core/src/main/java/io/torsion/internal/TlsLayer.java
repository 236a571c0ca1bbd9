package io.torsion.internal;

import io.torsion.DelayedCall;
import io.torsion.TlsHandshakeError;
import io.torsion.spi.Socket;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsOptions;
import io.torsion.tls.TlsServerOptions;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS between a {@link Connection} and its transport's {@link Socket}: the connection writes
 * plaintext to this socket, which encrypts it into the one below; what the socket below reads
 * reaches {@link #received} through the connection, which hands this layer's plaintext back to its
 * protocol. Every transport gets the same TLS this way.
 *
 * <p>Writes are gathered: what the protocol writes during a read burst is encrypted at the burst's
 * flush, as few records as fit (a record holds 16 KiB), rather than one record per write. Writes
 * made before the handshake finished wait for it. The buffers that encrypting and decrypting need
 * are the loop's, shared by its connections; a connection keeps only an incomplete record it read
 * and the plaintext it has not yet flushed. Threads: the connection's loop, as the connection.
 */
final class TlsLayer implements Socket {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  private static final String[] HTTP_METHODS = {
    "GET ", "HEAD", "POST", "PUT ", "DELE", "OPTI", "PATC", "CONN", "TRAC"
  };

  private static final int FULL_RECORD = 16 * 1024; // the most plaintext a record holds

  private static final byte HANDSHAKING = 0;
  private static final byte ESTABLISHED = 1;
  private static final byte FAILED = 2;

  // What the connection asked while the handshake was under way, done once it finishes.
  private static final byte THEN_NOTHING = 0;
  private static final byte THEN_CLOSE = 1;
  private static final byte THEN_SHUTDOWN_OUTPUT = 2;

  private final Socket raw;
  private final SSLEngine engine;
  private final String sentName; // a client's name for the server: SNI and verification
  private final TlsOptions options;
  private final boolean direct; // the engine works on direct buffers: the loop's are direct too
  private final Connection connection;
  private final Loop loop;
  private final boolean server;
  private final boolean answerPlainHttp;
  private ByteBuffer inbound; // an incomplete record read (write mode), or null
  private ByteBuffer plain; // written and not yet encrypted (write mode), or null
  private DelayedCall timeout;
  private byte phase = HANDSHAKING;
  private byte then = THEN_NOTHING;
  private boolean sawBytes;
  private boolean closed;
  private boolean encrypting;
  private int packetSize; // the session's buffer sizes, once established
  private int applicationSize;
  private ByteBuffer out; // where records are encrypted to, while encrypting
  private TlsInfo info;

  /**
   * Puts TLS over {@code raw}; {@code peerName} is the name a client verifies (the host it was
   * asked to connect to), or null for the peer's address.
   */
  TlsLayer(Socket raw, TlsOptions options, String peerName, Connection connection, Loop loop) {
    this.raw = raw;
    this.options = options;
    this.direct = options.directBuffers();
    this.connection = connection;
    this.loop = loop;
    this.server = options instanceof TlsServerOptions;
    this.answerPlainHttp = server && options.applicationProtocols().contains("http/1.1");
    SocketAddress peer = raw.remoteAddress();
    String host = null;
    int port = -1;
    if (peer instanceof java.net.InetSocketAddress address) {
      host = address.getHostString();
      port = address.getPort();
    }
    String name = peerName != null ? peerName : host;
    this.sentName =
        options instanceof TlsClientOptions client && client.serverName() != null
            ? client.serverName()
            : name;
    this.engine = options.newEngine(name, port);
    this.timeout =
        loop.timers()
            .schedule(
                options.handshakeTimeout(),
                () ->
                    fail(
                        new TlsHandshakeError(
                            TlsHandshakeError.Reason.TIMEOUT,
                            "TLS handshake with "
                                + peer
                                + " not finished within "
                                + options.handshakeTimeout().toMillis()
                                + " ms",
                            null)));
  }

  /** Starts the handshake (a client sends its hello now), then reads {@code already} as TLS. */
  void start(ByteBuffer already) {
    try {
      engine.beginHandshake();
      drive();
    } catch (SSLException e) {
      fail(e);
      return;
    }
    if (already != null && already.hasRemaining()) {
      received(already);
    }
  }

  /** Returns the session's facts once established, else null. */
  TlsInfo info() {
    return info;
  }

  // ---------------------------------------------------------------- reading

  /** Decrypts what the socket below read and hands the plaintext to the connection. */
  void received(ByteBuffer cipher) {
    if (closed || phase == FAILED) {
      return;
    }
    if (!sawBytes) {
      sawBytes = true;
      if (answerPlainHttp && looksLikeHttp(cipher)) {
        answerPlainHttp();
        return;
      }
    }
    ByteBuffer source;
    if (inbound != null) {
      inbound = room(inbound, cipher.remaining());
      inbound.put(cipher);
      inbound.flip();
      source = inbound;
    } else {
      source = cipher;
    }
    try {
      unwrapAll(source);
    } catch (SSLException e) {
      fail(e);
      return;
    }
    if (closed || phase == FAILED || !source.hasRemaining()) {
      inbound = null;
    } else if (source == inbound) {
      inbound.compact();
    } else {
      inbound = ByteBuffer.allocate(Math.max(source.remaining(), 1024));
      inbound.put(source);
    }
  }

  private void unwrapAll(ByteBuffer source) throws SSLException {
    boolean borrowed = !loop.tlsPlainInUse;
    ByteBuffer out = borrowed ? loop.tlsPlain(applicationBufferSize(), direct) : newPlain();
    loop.tlsPlainInUse = true;
    try {
      while (!closed && phase != FAILED) {
        if (phase == ESTABLISHED && !holdsRecord(source)) {
          break; // what the engine would say: BUFFER_UNDERFLOW, without the call
        }
        SSLEngineResult result = engine.unwrap(source, out);
        SSLEngineResult.Status status = result.getStatus();
        if (status == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          if (out.position() > 0) {
            deliver(out);
          } else {
            out = ByteBuffer.allocate(applicationBufferSize()); // the engine's size grew
          }
          continue;
        }
        if (status == SSLEngineResult.Status.CLOSED && !engine.isInboundDone()) {
          // Our own close_notify was sent (a half-close); an engine may say CLOSED for every read
          // after it (Netty's OpenSSL engine does), yet it still decrypts what the peer sends.
          if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
            break;
          }
          if (out.remaining() < applicationBufferSize()) {
            deliver(out);
          }
          continue;
        }
        if (status == SSLEngineResult.Status.CLOSED) { // the peer's close_notify
          deliver(out);
          cancelTimeout();
          wrapHandshake(); // TLS 1.2 answers close_notify with its own
          if (phase == HANDSHAKING) {
            fail(
                new TlsHandshakeError(
                    TlsHandshakeError.Reason.CLOSED,
                    "the peer " + raw.remoteAddress() + " closed TLS during the handshake",
                    null));
          } else {
            connection.tlsPeerClosed(true);
          }
          return;
        }
        HandshakeStatus handshake = result.getHandshakeStatus();
        if (phase == ESTABLISHED
            && status == SSLEngineResult.Status.OK
            && (handshake == HandshakeStatus.NEED_TASK || handshake == HandshakeStatus.NEED_WRAP)
            && !"TLSv1.3".equals(info.protocol())) {
          deliver(out);
          connection.tlsAbort(
              "TLS renegotiation refused (" + raw.remoteAddress() + " asked for a new handshake)");
          return;
        }
        if (handshake != HandshakeStatus.NOT_HANDSHAKING) {
          drive();
        }
        if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
          break;
        }
        if (out.remaining() < applicationBufferSize()) {
          deliver(out);
        }
        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
          break;
        }
      }
      deliver(out);
    } finally {
      if (borrowed) {
        loop.tlsPlainInUse = false;
      }
    }
  }

  /** Returns true when {@code source} holds a whole record (5 bytes of header, then its length). */
  private static boolean holdsRecord(ByteBuffer source) {
    int left = source.remaining();
    if (left < 5) {
      return false;
    }
    int at = source.position();
    int length = ((source.get(at + 3) & 0xff) << 8) | (source.get(at + 4) & 0xff);
    return left >= 5 + length;
  }

  private void deliver(ByteBuffer out) {
    if (out.position() == 0) {
      return;
    }
    out.flip();
    if (!closed) {
      connection.tlsReceived(out);
    }
    out.clear();
  }

  /** The socket below read end-of-stream. */
  void peerHalfClosed() {
    if (closed || phase == FAILED || engine.isInboundDone()) {
      return;
    }
    if (phase == HANDSHAKING) {
      fail(
          new TlsHandshakeError(
              TlsHandshakeError.Reason.CLOSED,
              "the peer " + raw.remoteAddress() + " closed the connection during the TLS handshake",
              null));
      return;
    }
    connection.tlsPeerClosed(false); // no close_notify: possibly truncated
  }

  // ---------------------------------------------------------------- the handshake

  /** Runs the engine's handshake steps until it waits for the peer. */
  private void drive() throws SSLException {
    while (!closed) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      } else if (status == HandshakeStatus.NEED_WRAP) {
        wrapHandshake();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
          break; // closed, or the layer is encrypting already: the outer call goes on
        }
      } else {
        break;
      }
    }
    if (phase == HANDSHAKING
        && !closed
        && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
        && !engine.isOutboundDone()) {
      handshakeDone();
    }
  }

  private void handshakeDone() {
    phase = ESTABLISHED;
    SSLSession session = engine.getSession(); // its sizes are fixed from now on
    packetSize = session.getPacketBufferSize();
    applicationSize = session.getApplicationBufferSize();
    cancelTimeout();
    info = describe();
    connection.tlsEstablished(info);
    if (closed) {
      return;
    }
    flush();
    if (then == THEN_CLOSE) {
      closeAfterWrites();
    } else if (then == THEN_SHUTDOWN_OUTPUT) {
      shutdownOutputAfterWrites();
    }
  }

  private TlsInfo describe() {
    SSLSession session = engine.getSession();
    String serverName = null;
    if (server) {
      serverName = requestedName(session);
    } else if (sentName != null && !IP_LITERAL.matcher(sentName).matches()) {
      serverName = sentName; // what the client sent with SNI: a host name, never an address
    }
    List<X509Certificate> peer = new ArrayList<>();
    boolean asked =
        !(options instanceof TlsServerOptions serverOptions)
            || serverOptions.clientAuth() != TlsServerOptions.ClientAuth.NONE;
    try {
      for (Certificate certificate : asked ? session.getPeerCertificates() : new Certificate[0]) {
        if (certificate instanceof X509Certificate x509) {
          peer.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException none) {
      // the peer sent no certificate: a client without one
    }
    List<X509Certificate> local = new ArrayList<>();
    Certificate[] mine = session.getLocalCertificates();
    if (mine != null) {
      for (Certificate certificate : mine) {
        if (certificate instanceof X509Certificate x509) {
          local.add(x509);
        }
      }
    }
    String alpn = engine.getApplicationProtocol();
    return new TlsInfo(
        session.getProtocol(),
        session.getCipherSuite(),
        serverName,
        alpn == null || alpn.isEmpty() ? null : alpn,
        peer,
        local,
        options.engine());
  }

  private static String requestedName(SSLSession session) {
    if (session instanceof javax.net.ssl.ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  /** The handshake failed, or the session broke: the peer gets the engine's alert, then a close. */
  private void fail(SSLException error) {
    fail(HandshakeFailures.classify(error, raw.remoteAddress(), server, phase == ESTABLISHED));
  }

  private void fail(TlsHandshakeError error) {
    if (closed || phase == FAILED) {
      return;
    }
    boolean wasEstablished = phase == ESTABLISHED;
    phase = FAILED;
    cancelTimeout();
    plain = null;
    inbound = null;
    engine.closeOutbound();
    try {
      wrapHandshake(); // the alert
    } catch (SSLException | RuntimeException alertFailed) {
      // nothing more to tell the peer
    }
    connection.tlsFailed(error, wasEstablished, server);
  }

  private void answerPlainHttp() {
    phase = FAILED;
    cancelTimeout();
    byte[] body =
        "400 Bad Request: this port speaks HTTPS (HTTP over TLS), and plain HTTP was sent to it\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] head =
        ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    raw.write(ByteBuffer.wrap(head), false);
    raw.write(ByteBuffer.wrap(body), false);
    connection.tlsFailed(
        new TlsHandshakeError(
            TlsHandshakeError.Reason.NOT_TLS,
            "plain HTTP sent to the TLS port by " + raw.remoteAddress() + "; answered 400",
            null),
        false,
        true);
  }

  private static boolean looksLikeHttp(ByteBuffer data) {
    if (data.remaining() < 4) {
      return false;
    }
    int at = data.position();
    for (String method : HTTP_METHODS) {
      boolean same = true;
      for (int i = 0; i < 4 && same; i++) {
        same = data.get(at + i) == method.charAt(i);
      }
      if (same) {
        return true;
      }
    }
    return false;
  }

  private void cancelTimeout() {
    if (timeout != null) {
      if (timeout.active()) {
        timeout.cancel();
      }
      timeout = null;
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Runs {@code step} with {@link #out} set to the loop's buffer for records (or a buffer of its
   * own, when another layer of the loop is using it: a write made from inside another's send), then
   * sends what it holds. Not reentrant per layer: a flush asked for meanwhile (a producer resumed
   * from inside a send) is done by the loop in {@link #flush}, which encrypts until nothing is
   * left.
   */
  private boolean encrypt(EncryptStep step) throws SSLException {
    if (encrypting) {
      return false;
    }
    encrypting = true;
    boolean borrowed = !loop.tlsCipherInUse;
    loop.tlsCipherInUse = true;
    out =
        borrowed
            ? loop.tlsCipher(packetBufferSize(), direct)
            : ByteBuffer.allocate(packetBufferSize());
    try {
      step.run();
      sendCipher();
    } finally {
      if (borrowed) {
        loop.keepTlsCipher(out);
        loop.tlsCipherInUse = false;
      }
      out = null;
      encrypting = false;
    }
    return true;
  }

  /** One encrypting step; may throw what the engine throws. */
  private interface EncryptStep {
    void run() throws SSLException;
  }

  /**
   * Encrypts from {@code source} into {@link #out}, sending it when full; returns false when the
   * engine is closed and took nothing.
   */
  private boolean wrapOnce(ByteBuffer source) throws SSLException {
    while (true) {
      SSLEngineResult result = engine.wrap(source, out);
      switch (result.getStatus()) {
        case BUFFER_OVERFLOW:
          if (out.position() == 0) {
            out = ByteBuffer.allocate(packetBufferSize() * 2);
          } else {
            sendCipher();
          }
          continue;
        case CLOSED:
          return result.bytesProduced() > 0;
        default:
          if (out.remaining() < packetBufferSize()) {
            sendCipher();
          }
          return true;
      }
    }
  }

  private void sendCipher() {
    if (out.position() > 0) {
      out.flip();
      raw.write(out, false);
      out.clear();
    }
  }

  /** Sends what the handshake asks to send (its flights, an alert, close_notify). */
  private void wrapHandshake() throws SSLException {
    encrypt(
        () -> {
          while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && wrapOnce(EMPTY)) {
            // the next message of the flight
          }
        });
    raw.flush();
  }

  @Override
  public void write(ByteBuffer data, boolean lent) {
    if (phase == FAILED || closed) {
      return;
    }
    if (data.remaining() >= FULL_RECORD
        && phase == ESTABLISHED
        && !encrypting
        && (plain == null || plain.position() == 0)) {
      encryptFullRecords(data.duplicate()); // straight from the caller's buffer: one copy fewer
      return;
    }
    plain = room(plain, data.remaining());
    plain.put(data.duplicate());
    if (plain.position() >= FULL_RECORD && phase == ESTABLISHED && !encrypting) {
      ByteBuffer written = plain;
      plain = null;
      encryptFullRecords(written.flip());
    }
  }

  /**
   * Encrypts the full records of {@code source} without waiting for the flush, so that what waits
   * is the transport's queue (whose watermarks pause producers and hold reads), not this layer's;
   * the rest (less than a record) waits for the flush, before what was written meanwhile (from
   * inside a send: a producer resumed).
   */
  private void encryptFullRecords(ByteBuffer source) {
    try {
      encrypt(
          () -> {
            while (source.remaining() >= FULL_RECORD && wrapOnce(source)) {
              // the next full record
            }
          });
    } catch (SSLException e) {
      fail(e);
      return;
    }
    if (source.hasRemaining()) {
      ByteBuffer newer = plain;
      plain = room(null, source.remaining() + (newer == null ? 0 : newer.position()));
      plain.put(source);
      if (newer != null) {
        plain.put(newer.flip());
      }
    }
  }

  @Override
  public void flush() {
    if (phase != ESTABLISHED || closed) {
      return;
    }
    try {
      encrypt(
          () -> {
            while (plain != null && plain.position() > 0 && phase == ESTABLISHED && !closed) {
              ByteBuffer source = plain;
              plain = null; // what is written meanwhile starts a new buffer, encrypted next
              source.flip();
              while (source.hasRemaining() && wrapOnce(source)) {
                // the next record
              }
            }
          });
    } catch (SSLException e) {
      fail(e);
      return;
    }
    raw.flush();
  }

  @Override
  public void closeAfterWrites() {
    if (phase == HANDSHAKING && !closed && plain != null && plain.position() > 0) {
      then = THEN_CLOSE;
      return;
    }
    closeOutbound();
    raw.closeAfterWrites();
  }

  @Override
  public void shutdownOutputAfterWrites() {
    if (phase == HANDSHAKING && !closed && plain != null && plain.position() > 0) {
      then = THEN_SHUTDOWN_OUTPUT;
      return;
    }
    closeOutbound();
    if (options.halfCloses()) {
      raw.shutdownOutputAfterWrites();
    } else {
      raw.closeAfterWrites(); // the engine reads nothing after its close_notify
    }
  }

  /** Sends what is written, then close_notify. */
  private void closeOutbound() {
    if (phase != ESTABLISHED || closed) {
      return;
    }
    flush();
    engine.closeOutbound();
    try {
      encrypt(
          () -> {
            while (!engine.isOutboundDone() && wrapOnce(EMPTY)) {
              // close_notify
            }
          });
    } catch (SSLException e) {
      // the peer may not hear close_notify; the close goes on
    }
  }

  @Override
  public void closeNow() {
    raw.closeNow();
  }

  /** The socket below closed: the engine and its timer are let go. */
  void closed() {
    if (closed) {
      return;
    }
    closed = true;
    cancelTimeout();
    plain = null;
    inbound = null;
    engine.closeOutbound();
    options.release(engine);
  }

  @Override
  public void reading(boolean on) {
    raw.reading(on);
  }

  @Override
  public long queuedBytes() {
    return raw.queuedBytes() + (plain == null ? 0 : plain.position());
  }

  @Override
  public boolean writable() {
    return raw.writable();
  }

  @Override
  public SocketAddress localAddress() {
    return raw.localAddress();
  }

  @Override
  public SocketAddress remoteAddress() {
    return raw.remoteAddress();
  }

  @Override
  public String id() {
    return raw.id() + "/tls";
  }

  /** The engine's largest record: asked of its session (under the engine's lock) until known. */
  private int packetBufferSize() {
    return packetSize > 0 ? packetSize : engine.getSession().getPacketBufferSize();
  }

  /** The most plaintext a record decrypts to: asked of its session until known. */
  private int applicationBufferSize() {
    return applicationSize > 0 ? applicationSize : engine.getSession().getApplicationBufferSize();
  }

  private ByteBuffer newPlain() {
    return ByteBuffer.allocate(applicationBufferSize() * 2);
  }

  /** Returns {@code buffer} (write mode) or a larger copy with room for {@code more} bytes. */
  private static ByteBuffer room(ByteBuffer buffer, int more) {
    if (buffer == null) {
      return ByteBuffer.allocate(Math.max(more, 512)); // a response's worth: what most writes are
    }
    if (buffer.remaining() >= more) {
      return buffer;
    }
    long need = (long) buffer.position() + more;
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, buffer.capacity() * 2L));
    ByteBuffer larger = ByteBuffer.allocate(capacity);
    buffer.flip();
    larger.put(buffer);
    return larger;
  }

  @Override
  public String toString() {
    return "TlsLayer["
        + raw.id()
        + ", "
        + (phase == HANDSHAKING ? "handshaking" : phase == ESTABLISHED ? "established" : "failed")
        + "]";
  }
}
