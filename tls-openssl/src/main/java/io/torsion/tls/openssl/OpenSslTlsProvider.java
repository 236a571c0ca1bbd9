package io.torsion.tls.openssl;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.torsion.spi.Availability;
import io.torsion.spi.TlsEngineFactory;
import io.torsion.spi.TlsProvider;
import io.torsion.spi.TlsSettings;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The {@code openssl} TLS engine: Netty's reference-counted OpenSSL engine over BoringSSL, released
 * as soon as its connection closes (not left to a finalizer). Priority 20, above the JDK's.
 */
public final class OpenSslTlsProvider implements TlsProvider {
  /** For {@link java.util.ServiceLoader}. */
  public OpenSslTlsProvider() {}

  @Override
  public String name() {
    return "openssl";
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Availability availability() {
    try {
      if (OpenSsl.isAvailable()) {
        return Availability.AVAILABLE;
      }
      Throwable cause = OpenSsl.unavailabilityCause();
      return Availability.unavailable(
          "netty-tcnative's BoringSSL did not load on this platform: " + cause, cause);
    } catch (LinkageError e) {
      return Availability.unavailable("netty-tcnative is not on the class path: " + e, e);
    }
  }

  @Override
  public String describe() {
    return OpenSsl.versionString() + " through netty-tcnative (Netty's OpenSSL engine)";
  }

  @Override
  public TlsEngineFactory newFactory(TlsSettings settings) {
    SslContextBuilder builder =
        settings.client()
            ? SslContextBuilder.forClient()
            : SslContextBuilder.forServer(settings.keyManager());
    if (settings.client() && settings.keyManager() != null) {
      builder.keyManager(settings.keyManager());
    }
    builder
        .sslProvider(SslProvider.OPENSSL_REFCNT)
        .protocols(settings.protocols())
        .endpointIdentificationAlgorithm(
            settings.client() && settings.hostnameVerification() ? "HTTPS" : null);
    if (settings.trustManager() != null) {
      builder.trustManager(settings.trustManager());
    }
    if (settings.cipherSuites() != null) {
      builder.ciphers(settings.cipherSuites());
    }
    if (!settings.client()) {
      builder.clientAuth(
          settings.requireClientCertificate()
              ? ClientAuth.REQUIRE
              : settings.requestClientCertificate() ? ClientAuth.OPTIONAL : ClientAuth.NONE);
    }
    if (!settings.applicationProtocols().isEmpty()) {
      builder.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              settings.applicationProtocols()));
    }
    SslContext context;
    try {
      context = builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("OpenSSL cannot have these TLS options: " + e, e);
    }
    return new TlsEngineFactory() {
      @Override
      public SSLEngine newEngine(String peerHost, int peerPort) {
        return peerHost == null
            ? context.newEngine(ByteBufAllocator.DEFAULT)
            : context.newEngine(ByteBufAllocator.DEFAULT, peerHost, peerPort);
      }

      @Override
      public boolean halfCloses() {
        return false; // BoringSSL discards application data that arrives after its close_notify
      }

      @Override
      public void release(SSLEngine engine) {
        ReferenceCountUtil.release(engine);
      }
    };
  }
}
