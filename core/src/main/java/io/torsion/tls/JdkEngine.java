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
    return (peerHost, peerPort) -> {
      SSLEngine engine =
          peerHost == null
              ? context.createSSLEngine()
              : context.createSSLEngine(peerHost, peerPort);
      engine.setUseClientMode(settings.client());
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setProtocols(settings.protocols().toArray(new String[0]));
      if (settings.cipherSuites() != null) {
        parameters.setCipherSuites(settings.cipherSuites().toArray(new String[0]));
      }
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
