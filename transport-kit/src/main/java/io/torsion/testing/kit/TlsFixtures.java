package io.torsion.testing.kit;

import io.torsion.tls.Identity;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and JDK peers for the kit's TLS tests: one self-signed certificate for localhost and
 * 127.0.0.1 made per JVM (making one costs milliseconds, but tests need the same one on both
 * sides), options that serve and trust it, and blocking JDK TLS sockets as independent peers.
 */
public final class TlsFixtures {
  /** The server certificate of the kit: localhost, 127.0.0.1 and ::1. */
  public static final SelfSignedCertificate SERVER =
      SelfSignedCertificate.generate("localhost", "127.0.0.1", "::1");

  /** A client certificate, for mutual TLS. */
  public static final SelfSignedCertificate CLIENT = SelfSignedCertificate.generate("kit-client");

  private TlsFixtures() {}

  /** Returns options serving {@link #SERVER} on {@code engine}. */
  public static TlsServerOptions serverOptions(String engine) {
    return TlsServerOptions.builder(SERVER.identity()).engine(engine).build();
  }

  /** Returns client options on {@code engine} trusting {@link #SERVER} only. */
  public static TlsClientOptions clientOptions(String engine) {
    return TlsClientOptions.builder().engine(engine).trust(SERVER.trustRoots()).build();
  }

  /**
   * Returns a JDK context trusting {@link #SERVER}, and presenting {@code identity} if not null.
   */
  public static SSLContext jdkContext(Identity identity) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("server", SERVER.certificate());
      TrustManagerFactory trustFactory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustFactory.init(trust);
      KeyManagerFactory keyFactory = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "me",
            identity.privateKey(),
            new char[0],
            identity.certificates().toArray(new java.security.cert.Certificate[0]));
        keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyFactory.init(keys, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyFactory == null ? null : keyFactory.getKeyManagers(),
          trustFactory.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connects a JDK TLS client to 127.0.0.1:{@code port} and finishes its handshake. */
  public static SSLSocket jdkClient(int port, String... protocols) {
    return jdkClient(jdkContext(null), port, protocols);
  }

  /** Connects a JDK TLS client of {@code context} and finishes its handshake. */
  public static SSLSocket jdkClient(SSLContext context, int port, String... protocols) {
    try {
      SSLSocket socket =
          (SSLSocket)
              context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout((int) Peer.READ_TIMEOUT.toMillis());
      if (protocols.length > 0) {
        socket.setEnabledProtocols(protocols);
      }
      socket.startHandshake();
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
