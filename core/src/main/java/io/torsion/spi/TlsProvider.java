package io.torsion.spi;

/**
 * A TLS engine implementation: the JDK's ({@code jdk}, built in) or OpenSSL's ({@code openssl},
 * from {@code torsion-tls-openssl}), found with {@link java.util.ServiceLoader} and chosen as
 * transports are: the available one with the highest priority, unless the system property {@code
 * torsion.tls.provider} (or a {@link io.torsion.tls.TlsServerOptions.Builder#engine} option) names
 * one, which must then load.
 */
public interface TlsProvider {
  /** Returns the name that selects it, such as {@code "openssl"}. */
  String name();

  /** Returns its rank when nothing is forced: the highest available wins (the JDK's is 10). */
  int priority();

  /** Returns whether it can run here, and why not (a native library that did not load). */
  Availability availability();

  /**
   * Returns a short description for reports, such as {@code "BoringSSL 1.1.1 (netty-tcnative)"}.
   */
  String describe();

  /**
   * Makes the engine factory of one set of options; called once per {@link io.torsion.tls} options
   * object.
   *
   * @throws IllegalArgumentException if the settings cannot be had with this engine
   */
  TlsEngineFactory newFactory(TlsSettings settings);
}
