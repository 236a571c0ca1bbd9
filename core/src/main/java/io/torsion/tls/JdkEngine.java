package io.torsion.tls;

import io.torsion.spi.Availability;
import io.torsion.spi.TlsEngineFactory;
import io.torsion.spi.TlsProvider;
import io.torsion.spi.TlsSettings;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/** The JDK's TLS engine (SunJSSE): always available, the fallback. */
final class JdkEngine implements TlsProvider {
  /**
   * The suites enabled unless the options name others, preferred first: Mozilla's "intermediate"
   * configuration (AES-128-GCM first, as Netty and Go order them: as safe as AES-256 and cheaper),
   * those of it this JDK supports.
   */
  static final List<String> DEFAULT_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Availability availability() {
    return Availability.AVAILABLE;
  }

  @Override
  public String describe() {
    return "the JDK's SSLEngine (SunJSSE), Java " + Runtime.version().feature();
  }

  @Override
  public TlsEngineFactory newFactory(TlsSettings settings) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          settings.keyManager() == null ? null : new KeyManager[] {settings.keyManager()},
          settings.trustManager() == null ? null : new TrustManager[] {settings.trustManager()},
          null);
      return of(context, settings);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot make the JDK's TLS context: " + e, e);
    }
  }

  /** Returns a factory of engines of a given context, configured as {@code settings} say. */
  static TlsEngineFactory of(SSLContext context, TlsSettings settings) {
    List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
    String[] suites =
        (settings.cipherSuites() != null
                ? settings.cipherSuites()
                : DEFAULT_SUITES.stream().filter(supported::contains).toList())
            .toArray(new String[0]);
    return (peerHost, peerPort) -> {
      SSLEngine engine =
          peerHost == null
              ? context.createSSLEngine()
              : context.createSSLEngine(peerHost, peerPort);
      engine.setUseClientMode(settings.client());
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setProtocols(settings.protocols().toArray(new String[0]));
      parameters.setCipherSuites(suites);
      parameters.setUseCipherSuitesOrder(true); // a server prefers its own order
      if (settings.client()) {
        if (settings.hostnameVerification()) {
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (peerHost != null && !IP_LITERAL.matcher(peerHost).matches()) {
          parameters.setServerNames(List.of(new SNIHostName(peerHost)));
        }
      } else if (settings.requireClientCertificate()) {
        parameters.setNeedClientAuth(true);
      } else if (settings.requestClientCertificate()) {
        parameters.setWantClientAuth(true);
      }
      if (!settings.applicationProtocols().isEmpty()) {
        parameters.setApplicationProtocols(settings.applicationProtocols().toArray(new String[0]));
      }
      engine.setSSLParameters(parameters);
      return engine;
    };
  }
}
