package io.torsion.spi;

import javax.net.ssl.SSLEngine;

/**
 * Makes the engines of one set of TLS options, one per connection, and lets them go. Safe to call
 * from any thread.
 */
public interface TlsEngineFactory {
  /**
   * Returns a new engine for a connection with {@code peerHost}:{@code peerPort}: a client sends
   * and verifies the host name; a server may ignore both.
   */
  SSLEngine newEngine(String peerHost, int peerPort);

  /**
   * Returns true when an engine still reads after sending its own close_notify (TLS half-close, as
   * the JDK's does); false when it discards what arrives after (BoringSSL): a half-close is then a
   * whole close.
   */
  default boolean halfCloses() {
    return true;
  }

  /**
   * Returns true when the engines work on direct buffers without copying (OpenSSL's), so that the
   * runtime decrypts into and encrypts from direct ones; false (the JDK's) for heap buffers.
   */
  default boolean directBuffers() {
    return false;
  }

  /** Releases what {@code engine} holds outside the heap, once its connection closed. */
  default void release(SSLEngine engine) {}
}
