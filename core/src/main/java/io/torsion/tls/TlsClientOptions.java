package io.torsion.tls;

import io.torsion.spi.TlsSettings;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a client speaks TLS: whom it trusts (the JDK's certificate authorities by default), the name
 * it verifies and sends with SNI (the host it connects to, by default), the ALPN protocols it
 * offers and its own certificate, if any. Immutable.
 *
 * <p>A client verifies the server's certificate chain <em>and</em> its host name by default, as it
 * must; turning either off is explicit ({@link Builder#hostnameVerification}, {@link
 * Builder#insecureTrustAnyCertificate}) and logged at WARNING when the options are built.
 *
 * <pre>{@code
 * reactor.connectSSL("example.com", 443, factory, TlsClientOptions.defaults());
 * TlsClientOptions internal =
 *     TlsClientOptions.builder()
 *         .trust(TrustRoots.fromPem(Path.of("internal-ca.pem")))
 *         .identity(Identity.fromPem(clientChain, clientKey))   // mutual TLS
 *         .applicationProtocols("http/1.1")
 *         .build();
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Options and their defaults</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #trust()}</td><td>the JDK's default</td><td>who signs servers</td></tr>
 *     <tr><td>{@link #hostnameVerification()}</td><td>true</td>
 *         <td>the certificate must name the host connected to (or {@link #serverName()})</td></tr>
 *     <tr><td>{@link #serverName()}</td><td>the host connected to</td>
 *         <td>the name verified and sent with SNI (not sent for an IP address)</td></tr>
 *     <tr><td>{@link #applicationProtocols()}</td><td>none</td><td>ALPN protocols offered</td></tr>
 *     <tr><td>{@link #identity()}</td><td>none</td><td>the client certificate, for mutual TLS</td></tr>
 *     <tr><td>{@link #protocols()}</td><td>TLSv1.3, TLSv1.2</td><td>versions enabled</td></tr>
 *     <tr><td>{@link #handshakeTimeout()}</td>
 *         <td>{@value TlsOptions#DEFAULT_HANDSHAKE_TIMEOUT_SECONDS} s</td>
 *         <td>a handshake not finished by then fails the connection</td></tr>
 *   </tbody>
 * </table>
 */
public final class TlsClientOptions implements TlsOptions {
  private static final System.Logger LOG = System.getLogger(TlsClientOptions.class.getName());
  private static final TlsClientOptions DEFAULTS = builder().build();

  private final Engine engine;
  private final TrustRoots trust;
  private final boolean hostnameVerification;
  private final boolean trustAnything;
  private final String serverName;
  private final List<String> applicationProtocols;
  private final Identity identity;
  private final List<String> protocols;
  private final List<String> cipherSuites;
  private final Duration handshakeTimeout;

  private TlsClientOptions(Builder builder) {
    this.trust = builder.trust;
    this.hostnameVerification = builder.hostnameVerification && !builder.trustAnything;
    this.trustAnything = builder.trustAnything;
    this.serverName = builder.serverName;
    this.applicationProtocols = List.copyOf(builder.applicationProtocols);
    this.identity = builder.identity;
    this.protocols = List.copyOf(builder.protocols);
    this.cipherSuites = builder.cipherSuites == null ? null : List.copyOf(builder.cipherSuites);
    this.handshakeTimeout = builder.handshakeTimeout;
    if (trustAnything) {
      LOG.log(
          Level.WARNING,
          "TLS client options that trust ANY certificate: any server, or anyone on the path, can"
              + " pose as the one connected to; for development only");
    } else if (!builder.hostnameVerification) {
      LOG.log(
          Level.WARNING,
          "TLS client options without host name verification: any server with a trusted"
              + " certificate can pose as the one connected to");
    }
    TlsSettings settings =
        new TlsSettings(
            true,
            identity == null ? null : new KeyTable(identity, Map.of()),
            trustAnything ? new TrustAnything() : trust.trustManager(),
            protocols,
            cipherSuites,
            applicationProtocols,
            false,
            false,
            hostnameVerification);
    this.engine = Engine.choose(builder.context, builder.engine, settings);
  }

  private TlsClientOptions(TlsClientOptions from, String serverName) {
    this.engine = from.engine;
    this.trust = from.trust;
    this.hostnameVerification = from.hostnameVerification;
    this.trustAnything = from.trustAnything;
    this.serverName = serverName;
    this.applicationProtocols = from.applicationProtocols;
    this.identity = from.identity;
    this.protocols = from.protocols;
    this.cipherSuites = from.cipherSuites;
    this.handshakeTimeout = from.handshakeTimeout;
  }

  /**
   * Returns these options with {@link #serverName()} set to {@code name}, sharing their engine (and
   * so their session cache): for a client that resolved a host name itself and connects to the
   * address, yet must verify and send the name. Cheap; logs nothing.
   */
  public TlsClientOptions withServerName(String name) {
    Objects.requireNonNull(name, "name");
    return name.equals(serverName) ? this : new TlsClientOptions(this, name);
  }

  /** Returns options that trust the JDK's certificate authorities and verify host names. */
  public static TlsClientOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(null);
  }

  /**
   * Returns a builder of options on a JDK {@code SSLContext} already set up with keys and trust;
   * host name verification is still these options' (on by default).
   */
  public static Builder builder(SSLContext context) {
    return new Builder(Objects.requireNonNull(context, "context"));
  }

  @Override
  public SSLEngine newEngine(String peerHost, int peerPort) {
    return engine.factory().newEngine(serverName != null ? serverName : peerHost, peerPort);
  }

  @Override
  public void release(SSLEngine sslEngine) {
    engine.factory().release(sslEngine);
  }

  @Override
  public String engine() {
    return engine.name();
  }

  @Override
  public boolean halfCloses() {
    return engine.factory().halfCloses();
  }

  @Override
  public boolean directBuffers() {
    return engine.factory().directBuffers();
  }

  @Override
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  @Override
  public List<String> applicationProtocols() {
    return applicationProtocols;
  }

  /** Returns whom this client trusts to sign servers' certificates. */
  public TrustRoots trust() {
    return trust;
  }

  /** Returns true when the server's certificate must name the host (on by default). */
  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  /** Returns the name verified and sent with SNI, or null for the host connected to. */
  public String serverName() {
    return serverName;
  }

  /** Returns the client certificate sent when a server asks, or null. */
  public Identity identity() {
    return identity;
  }

  /** Returns the protocol versions enabled. */
  public List<String> protocols() {
    return protocols;
  }

  @Override
  public String toString() {
    return "TlsClientOptions[trust="
        + (trustAnything ? "ANY CERTIFICATE" : trust)
        + ", hostnameVerification="
        + hostnameVerification
        + (serverName == null ? "" : ", serverName=" + serverName)
        + ", alpn="
        + applicationProtocols
        + (identity == null ? "" : ", identity=" + identity)
        + ", engine="
        + engine.name()
        + "]";
  }

  /** Trusts every certificate: what {@link Builder#insecureTrustAnyCertificate} asks for. */
  private static final class TrustAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** Builds {@link TlsClientOptions}. */
  public static final class Builder {
    private final SSLContext context;
    private TrustRoots trust = TrustRoots.jdkDefault();
    private boolean hostnameVerification = true;
    private boolean trustAnything;
    private String serverName;
    private List<String> applicationProtocols = List.of();
    private Identity identity;
    private List<String> protocols = DEFAULT_PROTOCOLS;
    private List<String> cipherSuites;
    private Duration handshakeTimeout = Duration.ofSeconds(DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
    private String engine;

    private Builder(SSLContext context) {
      this.context = context;
    }

    /** Trusts these roots to sign servers' certificates (instead of the JDK's). */
    public Builder trust(TrustRoots roots) {
      requireOwnContext("trust");
      trust = Objects.requireNonNull(roots, "roots");
      return this;
    }

    /**
     * Turns host name verification off ({@code false}) or back on: the chain is still verified, but
     * any trusted certificate is accepted for any host. Logged at WARNING.
     */
    public Builder hostnameVerification(boolean verify) {
      hostnameVerification = verify;
      return this;
    }

    /**
     * Accepts any certificate from any server: no verification at all. For development against a
     * server whose certificate cannot be had; logged at WARNING.
     */
    public Builder insecureTrustAnyCertificate() {
      requireOwnContext("insecureTrustAnyCertificate");
      trustAnything = true;
      return this;
    }

    /** Verifies and sends {@code name} (SNI) instead of the host connected to. */
    public Builder serverName(String name) {
      serverName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Offers these ALPN protocols, preferred first. */
    public Builder applicationProtocols(String... names) {
      applicationProtocols = TlsChecks.applicationProtocols(names);
      return this;
    }

    /** Sends {@code clientIdentity}'s certificate when a server asks for one (mutual TLS). */
    public Builder identity(Identity clientIdentity) {
      requireOwnContext("identity");
      identity = Objects.requireNonNull(clientIdentity, "clientIdentity");
      return this;
    }

    /** Enables exactly these protocol versions. */
    public Builder protocols(String... versions) {
      protocols = TlsChecks.protocols(versions);
      return this;
    }

    /** Enables exactly these cipher suites (standard names). */
    public Builder cipherSuites(String... suites) {
      cipherSuites = List.of(suites);
      return this;
    }

    /** Fails a connection whose handshake has not finished after {@code timeout}. */
    public Builder handshakeTimeout(Duration timeout) {
      handshakeTimeout = TlsChecks.handshakeTimeout(timeout);
      return this;
    }

    /**
     * Uses the TLS engine named {@code name} ({@code "jdk"} or {@code "openssl"}) instead of the
     * JVM's choice; it must load, or {@link #build()} throws.
     */
    public Builder engine(String name) {
      engine = Objects.requireNonNull(name, "name");
      return this;
    }

    private void requireOwnContext(String option) {
      if (context != null) {
        throw new IllegalStateException(option + " is the given SSLContext's business");
      }
    }

    /** Returns the options. */
    public TlsClientOptions build() {
      return new TlsClientOptions(this);
    }
  }
}
