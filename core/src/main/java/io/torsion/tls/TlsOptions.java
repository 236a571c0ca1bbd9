package io.torsion.tls;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * What one side of a TLS connection needs: {@link TlsServerOptions} for the side that accepts,
 * {@link TlsClientOptions} for the side that connects. Immutable and shared by every connection
 * made with them; safe to use from any thread.
 */
public sealed interface TlsOptions permits TlsServerOptions, TlsClientOptions {
  /** Default of {@link #handshakeTimeout()}, in seconds. */
  int DEFAULT_HANDSHAKE_TIMEOUT_SECONDS = 10;

  /** The protocol versions enabled unless told otherwise: TLS 1.3 and 1.2. */
  List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * Returns how long a handshake may take before the connection is closed (a peer that connects and
   * never finishes its handshake holds a descriptor and an engine).
   */
  Duration handshakeTimeout();

  /** Returns the ALPN protocol names offered, most preferred first (empty: no ALPN). */
  List<String> applicationProtocols();

  /**
   * Creates an engine configured as these options say, for one connection with the peer named
   * {@code peerHost} (a client verifies this name; null when unknown): what the reactor calls per
   * connection. Safe to call from any thread.
   */
  SSLEngine newEngine(String peerHost, int peerPort);

  /**
   * Releases what an engine of {@link #newEngine} holds outside the heap; its connection closed.
   */
  void release(SSLEngine engine);

  /**
   * Returns true when the engine reads on after this side's close_notify, so that {@link
   * io.torsion.Transport#loseWriteConnection()} is a half-close through TLS (the JDK's engine);
   * false when it discards what arrives after (OpenSSL's BoringSSL), where that call closes the
   * connection once the writes are sent.
   */
  boolean halfCloses();

  /**
   * Returns true when the engine works on direct buffers without copying (OpenSSL's): the runtime
   * then decrypts into and encrypts from direct buffers of the reactor's loops.
   */
  boolean directBuffers();

  /** Returns the name of the TLS engine these options use: {@code jdk} or {@code openssl}. */
  String engine();
}
