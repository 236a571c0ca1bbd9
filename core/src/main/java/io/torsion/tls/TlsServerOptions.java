package io.torsion.tls;

import io.torsion.spi.TlsSettings;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * How a listening port speaks TLS: its certificates (a default, and more chosen by the host name a
 * client asks for with SNI), the ALPN protocols it offers, whether it asks clients for
 * certificates, and how its certificates are reloaded. Immutable but for the certificates, which
 * {@link #reload()} replaces for new handshakes (connections already open keep theirs).
 *
 * <pre>{@code
 * TlsServerOptions tls =
 *     TlsServerOptions.builder(Identity.fromPem(Path.of("fullchain.pem"), Path.of("privkey.pem")))
 *         .serverName("api.example.com", Identity.fromPem(apiChain, apiKey))
 *         .applicationProtocols("http/1.1")
 *         .watchFiles(Duration.ofMinutes(1))
 *         .build();
 * reactor.listenSSL(443, null, factory, tls);
 * }</pre>
 *
 * <table class="striped">
 *   <caption>Options and their defaults</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link Builder#serverName}</td><td>none</td>
 *         <td>identities for SNI host names ({@code api.example.com}, or {@code *.example.com}
 *         for one label); others get the default</td></tr>
 *     <tr><td>{@link #applicationProtocols()}</td><td>none</td>
 *         <td>ALPN protocols offered, preferred first; a client that offers ALPN but none of
 *         these fails its handshake (RFC 7301)</td></tr>
 *     <tr><td>{@link #clientAuth()}</td><td>{@code NONE}</td>
 *         <td>whether clients are asked for ({@code REQUEST}) or must show ({@code REQUIRE}) a
 *         certificate signed by {@link #clientTrust()}</td></tr>
 *     <tr><td>{@link #protocols()}</td><td>TLSv1.3, TLSv1.2</td><td>versions enabled</td></tr>
 *     <tr><td>{@link #cipherSuites()}</td><td>Mozilla's "intermediate" list (AES-128-GCM
 *         first) on the JDK's engine; BoringSSL's own on OpenSSL's</td><td>suites enabled</td></tr>
 *     <tr><td>{@link #handshakeTimeout()}</td>
 *         <td>{@value TlsOptions#DEFAULT_HANDSHAKE_TIMEOUT_SECONDS} s</td>
 *         <td>a handshake not finished by then closes its connection</td></tr>
 *     <tr><td>{@link #watchInterval()}</td><td>none</td>
 *         <td>how often a listening port checks its identities' files for changes and reloads
 *         them</td></tr>
 *     <tr><td>{@link #engine()}</td><td>the JVM's choice</td>
 *         <td>the TLS engine: OpenSSL when {@code torsion-tls-openssl} is on the class path and
 *         loads, else the JDK's; {@code -Dtorsion.tls.provider=openssl|jdk} forces one</td></tr>
 *     <tr><td>{@link #expiryWarning()}</td><td>30 days</td>
 *         <td>a certificate that expires sooner is warned about when loaded</td></tr>
 *   </tbody>
 * </table>
 */
public final class TlsServerOptions implements TlsOptions {
  private static final System.Logger LOG = System.getLogger(TlsServerOptions.class.getName());

  /** Whether the server asks clients for a certificate. */
  public enum ClientAuth {
    /** Clients are not asked. */
    NONE,
    /** Clients are asked; one that sends none is still served ({@link TlsInfo} tells). */
    REQUEST,
    /** Clients must send a certificate the server trusts, or the handshake fails. */
    REQUIRE
  }

  private final KeyTable keys; // null with a given SSLContext
  private final Engine engine;
  private final List<String> applicationProtocols;
  private final ClientAuth clientAuth;
  private final TrustRoots clientTrust;
  private final List<String> protocols;
  private final List<String> cipherSuites;
  private final Duration handshakeTimeout;
  private final Duration watchInterval;
  private final Duration expiryWarning;
  private final Map<String, Identity> configuredNames;

  private TlsServerOptions(Builder builder) {
    this.applicationProtocols = List.copyOf(builder.applicationProtocols);
    this.clientAuth = builder.clientAuth;
    this.clientTrust = builder.clientTrust;
    this.protocols = List.copyOf(builder.protocols);
    this.cipherSuites = builder.cipherSuites == null ? null : List.copyOf(builder.cipherSuites);
    this.handshakeTimeout = builder.handshakeTimeout;
    this.watchInterval = builder.watchInterval;
    this.expiryWarning = builder.expiryWarning;
    this.configuredNames = Map.copyOf(builder.byName);
    this.keys = builder.context == null ? new KeyTable(builder.fallback, builder.byName) : null;
    TlsSettings settings =
        new TlsSettings(
            false,
            keys,
            clientTrust == null ? null : clientTrust.trustManager(),
            protocols,
            cipherSuites,
            applicationProtocols,
            clientAuth == ClientAuth.REQUIRE,
            clientAuth == ClientAuth.REQUEST,
            false);
    identities().forEach(this::warnIfExpiring);
    this.engine = Engine.choose(builder.context, builder.engine, settings);
  }

  /** Returns options serving {@code identity} to every client, with the other defaults. */
  public static TlsServerOptions of(Identity identity) {
    return builder(identity).build();
  }

  /** Returns a builder whose default identity (for clients that ask no known name) is given. */
  public static Builder builder(Identity defaultIdentity) {
    return new Builder(Objects.requireNonNull(defaultIdentity, "defaultIdentity"), null);
  }

  /**
   * Returns a builder of options on a JDK {@code SSLContext} already set up with keys and trust:
   * SNI identities and reloading are then the context's business, not these options'.
   */
  public static Builder builder(SSLContext context) {
    return new Builder(null, Objects.requireNonNull(context, "context"));
  }

  /** Returns the identities served now, the default first (empty with a given SSLContext). */
  public List<Identity> identities() {
    return keys == null ? List.of() : keys.identities();
  }

  /**
   * Reads every identity's files again and serves the new ones to the handshakes that start from
   * now on; open connections keep the certificate they were served. All or nothing: if any file
   * cannot be read, or holds a key that does not match its certificate, the identities served stay
   * as they were, and the exception says why. A certificate that expires within {@link
   * #expiryWarning()} is logged at WARNING. Safe to call from any thread; reads files, so not on
   * the reactor thread.
   *
   * @throws IOException if a file is missing or broken; nothing changed
   */
  public void reload() throws IOException {
    if (keys == null) {
      return;
    }
    KeyTable.Generation now = keys.current();
    Identity fallback = now.fallback().reloaded();
    Map<String, Identity> byName = new LinkedHashMap<>();
    for (Map.Entry<String, Identity> entry : now.byName().entrySet()) {
      byName.put(entry.getKey(), entry.getValue().reloaded());
    }
    keys.install(fallback, byName);
    LOG.log(Level.INFO, "TLS certificates reloaded: {0}", identities());
    identities().forEach(this::warnIfExpiring);
  }

  /**
   * Reloads as {@link #reload()} if a file of an identity changed since {@code lastSeen}, and
   * returns the newest modification time; a broken reload is logged at WARNING and the old
   * certificates stay. For the watch of a listening port.
   */
  public Instant reloadIfChanged(Instant lastSeen) {
    Instant newest = newestFileTime();
    if (newest != null && lastSeen != null && newest.isAfter(lastSeen)) {
      try {
        reload();
      } catch (IOException | RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "TLS certificate files changed but cannot be loaded; still serving the old ones: {0}",
            e.getMessage());
      }
    }
    return newest;
  }

  /** Returns the latest modification time of the identities' files, or null when none. */
  public Instant newestFileTime() {
    Instant newest = null;
    for (Identity identity : identities()) {
      for (Path file : identity.files()) {
        try {
          Instant modified = Files.getLastModifiedTime(file).toInstant();
          newest = newest == null || modified.isAfter(newest) ? modified : newest;
        } catch (IOException missing) {
          // a file being replaced: seen on the next check
        }
      }
    }
    return newest;
  }

  private void warnIfExpiring(Identity identity) {
    Instant expires = identity.notAfter();
    Instant now = Instant.now();
    if (expires.isBefore(now)) {
      LOG.log(Level.WARNING, "TLS certificate EXPIRED on {0}: {1}", expires, identity);
    } else if (expires.isBefore(now.plus(expiryWarning))) {
      LOG.log(
          Level.WARNING,
          "TLS certificate expires in {0} days, on {1}: {2}",
          Duration.between(now, expires).toDays(),
          expires,
          identity);
    }
  }

  @Override
  public SSLEngine newEngine(String peerHost, int peerPort) {
    return engine.factory().newEngine(peerHost, peerPort);
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

  /** Returns whether clients are asked for certificates. */
  public ClientAuth clientAuth() {
    return clientAuth;
  }

  /** Returns whom client certificates must be signed by (null with {@code NONE}). */
  public TrustRoots clientTrust() {
    return clientTrust;
  }

  /** Returns the protocol versions enabled. */
  public List<String> protocols() {
    return protocols;
  }

  /** Returns the cipher suites enabled, or null for the engine's defaults. */
  public List<String> cipherSuites() {
    return cipherSuites;
  }

  /** Returns how often a listening port checks its identities' files, or null for never. */
  public Duration watchInterval() {
    return watchInterval;
  }

  /** Returns how long before expiry a certificate is warned about. */
  public Duration expiryWarning() {
    return expiryWarning;
  }

  @Override
  public String toString() {
    return "TlsServerOptions[identities="
        + (keys == null ? "from an SSLContext" : identities().size())
        + ", names="
        + configuredNames.keySet()
        + ", alpn="
        + applicationProtocols
        + ", clientAuth="
        + clientAuth
        + ", protocols="
        + protocols
        + ", engine="
        + engine.name()
        + "]";
  }

  /** Builds {@link TlsServerOptions}. */
  public static final class Builder {
    private final Identity fallback;
    private final SSLContext context;
    private final Map<String, Identity> byName = new LinkedHashMap<>();
    private List<String> applicationProtocols = List.of();
    private ClientAuth clientAuth = ClientAuth.NONE;
    private TrustRoots clientTrust;
    private List<String> protocols = DEFAULT_PROTOCOLS;
    private List<String> cipherSuites;
    private Duration handshakeTimeout = Duration.ofSeconds(DEFAULT_HANDSHAKE_TIMEOUT_SECONDS);
    private Duration watchInterval;
    private Duration expiryWarning = Duration.ofDays(30);
    private String engine;

    private Builder(Identity fallback, SSLContext context) {
      this.fallback = fallback;
      this.context = context;
    }

    /**
     * Serves {@code identity} to clients that ask for {@code hostName} with SNI: an exact name, or
     * {@code *.example.com} for any one label before {@code example.com}. Case does not matter.
     */
    public Builder serverName(String hostName, Identity identity) {
      Objects.requireNonNull(hostName, "hostName");
      Objects.requireNonNull(identity, "identity");
      requireOwnKeys("serverName");
      String name = hostName.toLowerCase(Locale.ROOT);
      if (name.isEmpty() || (name.contains("*") && !name.matches("\\*\\.[^*]+"))) {
        throw new IllegalArgumentException(
            "not a host name or *.domain wildcard: \"" + hostName + "\"");
      }
      byName.put(name, identity);
      return this;
    }

    /** Offers these ALPN protocols, preferred first, such as {@code "h2", "http/1.1"}. */
    public Builder applicationProtocols(String... names) {
      applicationProtocols = TlsChecks.applicationProtocols(names);
      return this;
    }

    /**
     * Asks ({@code REQUEST}) or requires ({@code REQUIRE}) client certificates signed by {@code
     * trust}; {@code NONE} (the default) asks for none.
     */
    public Builder clientAuth(ClientAuth auth, TrustRoots trust) {
      Objects.requireNonNull(auth, "auth");
      if (auth != ClientAuth.NONE && trust == null && context == null) {
        throw new IllegalArgumentException("clientAuth " + auth + " needs the roots to trust");
      }
      clientAuth = auth;
      clientTrust = trust;
      return this;
    }

    /** Enables exactly these protocol versions, such as {@code "TLSv1.3"}. */
    public Builder protocols(String... versions) {
      protocols = TlsChecks.protocols(versions);
      return this;
    }

    /** Enables exactly these cipher suites (standard names). */
    public Builder cipherSuites(String... suites) {
      cipherSuites = List.of(suites);
      return this;
    }

    /** Closes a connection whose handshake has not finished after {@code timeout}. */
    public Builder handshakeTimeout(Duration timeout) {
      handshakeTimeout = TlsChecks.handshakeTimeout(timeout);
      return this;
    }

    /**
     * Makes every port listening with these options check its identities' files every {@code
     * interval} and {@link #reload()} them when one changed (a broken new file keeps the old
     * certificate, logged at WARNING).
     */
    public Builder watchFiles(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("watch interval must be positive: " + interval);
      }
      requireOwnKeys("watchFiles");
      watchInterval = interval;
      return this;
    }

    /** Warns about certificates that expire within {@code before} when loaded (default 30 days). */
    public Builder expiryWarning(Duration before) {
      expiryWarning = Objects.requireNonNull(before, "before");
      return this;
    }

    /**
     * Uses the TLS engine named {@code name} ({@code "jdk"} or {@code "openssl"}) instead of the
     * one chosen for the JVM (the best available, or {@code -Dtorsion.tls.provider}); it must load,
     * or {@link #build()} throws.
     */
    public Builder engine(String name) {
      engine = Objects.requireNonNull(name, "name");
      return this;
    }

    private void requireOwnKeys(String option) {
      if (context != null) {
        throw new IllegalStateException(
            option + " needs options built from identities, not from an SSLContext");
      }
    }

    /**
     * Returns the options.
     *
     * @throws IllegalStateException if the engine asked for cannot run here
     */
    public TlsServerOptions build() {
      return new TlsServerOptions(this);
    }
  }
}
