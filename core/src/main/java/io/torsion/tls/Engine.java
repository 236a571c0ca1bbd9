package io.torsion.tls;

import io.torsion.spi.TlsEngineFactory;
import io.torsion.spi.TlsProvider;
import io.torsion.spi.TlsSettings;
import javax.net.ssl.SSLContext;

/** The TLS engine one options object makes its connections' engines with, and its name. */
record Engine(String name, TlsEngineFactory factory) {
  /**
   * Chooses the engine of one options object: the JDK's over the user's {@code context} when there
   * is one, else {@code wanted} (or, when null, the JVM's choice).
   */
  static Engine choose(SSLContext context, String wanted, TlsSettings settings) {
    if (context != null) {
      if (wanted != null && !wanted.equals("jdk")) {
        throw new IllegalArgumentException("an SSLContext is the JDK's engine, not " + wanted);
      }
      return new Engine("jdk", JdkEngine.of(context, settings));
    }
    TlsProvider provider = TlsEngines.select(wanted);
    return new Engine(provider.name(), provider.newFactory(settings));
  }
}
