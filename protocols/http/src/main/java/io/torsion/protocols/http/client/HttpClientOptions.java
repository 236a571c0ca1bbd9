package io.torsion.protocols.http.client;

import io.torsion.tls.TlsClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link HttpClient} connects, pools and bounds what servers send it. Immutable; build with
 * {@link #builder()}.
 *
 * <table class="striped">
 *   <caption>Settings and their defaults</caption>
 *   <thead><tr><th>setting</th><th>default</th><th>when exceeded</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #maxConnectionsPerHost()}</td><td>{@value #DEFAULT_MAX_PER_HOST}</td>
 *         <td>requests wait for a connection of that origin</td></tr>
 *     <tr><td>{@link #maxConnections()}</td><td>{@value #DEFAULT_MAX_CONNECTIONS}</td>
 *         <td>an idle connection of another origin is closed, else requests wait</td></tr>
 *     <tr><td>{@link #idleTimeout()}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s</td>
 *         <td>a pooled connection unused that long is closed</td></tr>
 *     <tr><td>{@link #connectTimeout()}</td><td>{@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s</td>
 *         <td>{@link io.torsion.ConnectTimeoutError}</td></tr>
 *     <tr><td>{@link #responseTimeout()}</td><td>{@value #DEFAULT_RESPONSE_TIMEOUT_SECONDS} s from the
 *         request's last byte to the response head's</td><td>{@link HttpClientError.Reason#TIMEOUT}</td></tr>
 *     <tr><td>{@link #readTimeout()}</td><td>{@value #DEFAULT_READ_TIMEOUT_SECONDS} s of silence while
 *         a response body arrives</td><td>{@link HttpClientError.Reason#TIMEOUT}</td></tr>
 *     <tr><td>{@link #maxResponseHeadSize()}</td><td>{@value #DEFAULT_MAX_HEAD_SIZE} bytes (status line
 *         and fields; also the trailers)</td><td>{@link HttpClientError.Reason#MALFORMED_RESPONSE}</td></tr>
 *     <tr><td>{@link #maxHeaderCount()}</td><td>{@value #DEFAULT_MAX_HEADER_COUNT} fields</td>
 *         <td>{@link HttpClientError.Reason#MALFORMED_RESPONSE}</td></tr>
 *     <tr><td>{@link #maxResponseBody()}</td><td>{@value #DEFAULT_MAX_BODY} bytes, for a body
 *         aggregated (a streamed one has no limit)</td><td>{@link HttpClientError.Reason#BODY_TOO_LARGE}</td></tr>
 *     <tr><td>{@link #expectContinueThreshold()}</td><td>{@value #DEFAULT_EXPECT_CONTINUE_THRESHOLD}
 *         bytes</td><td>a larger (or chunked) request body is sent with {@code Expect: 100-continue}</td></tr>
 *     <tr><td>{@link #expectContinueTimeout()}</td><td>1 s</td><td>the body is sent without the
 *         {@code 100 Continue}</td></tr>
 *     <tr><td>{@link #userAgent()}</td><td>{@code Torsion}</td><td>(null sends none)</td></tr>
 *     <tr><td>{@link #tls()}</td><td>{@link TlsClientOptions#defaults()}</td><td>(certificates and host
 *         names verified)</td></tr>
 *     <tr><td>{@link #resolver()}</td><td>null: {@link HostResolver#system}</td><td></td></tr>
 *   </tbody>
 * </table>
 */
public final class HttpClientOptions {
  /** Default of {@link #maxConnectionsPerHost()}. */
  public static final int DEFAULT_MAX_PER_HOST = 8;

  /** Default of {@link #maxConnections()}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /** Default of {@link #idleTimeout()}, in seconds. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

  /** Default of {@link #connectTimeout()}, in seconds. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  /** Default of {@link #responseTimeout()}, in seconds. */
  public static final int DEFAULT_RESPONSE_TIMEOUT_SECONDS = 30;

  /** Default of {@link #readTimeout()}, in seconds. */
  public static final int DEFAULT_READ_TIMEOUT_SECONDS = 30;

  /** Default of {@link #maxResponseHeadSize()}. */
  public static final int DEFAULT_MAX_HEAD_SIZE = 64 * 1024;

  /** Default of {@link #maxHeaderCount()}. */
  public static final int DEFAULT_MAX_HEADER_COUNT = 100;

  /** Default of {@link #maxResponseBody()}: 16 MiB. */
  public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;

  /** Default of {@link #expectContinueThreshold()}: 1 MiB. */
  public static final int DEFAULT_EXPECT_CONTINUE_THRESHOLD = 1024 * 1024;

  private static final HttpClientOptions DEFAULTS = builder().build();

  private final int maxConnectionsPerHost;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Duration readTimeout;
  private final int maxResponseHeadSize;
  private final int maxHeaderCount;
  private final int maxResponseBody;
  private final long expectContinueThreshold;
  private final Duration expectContinueTimeout;
  private final String userAgent;
  private final TlsClientOptions tls;
  private final HostResolver resolver;

  private HttpClientOptions(Builder builder) {
    this.maxConnectionsPerHost = builder.maxConnectionsPerHost;
    this.maxConnections = builder.maxConnections;
    this.idleTimeout = builder.idleTimeout;
    this.connectTimeout = builder.connectTimeout;
    this.responseTimeout = builder.responseTimeout;
    this.readTimeout = builder.readTimeout;
    this.maxResponseHeadSize = builder.maxResponseHeadSize;
    this.maxHeaderCount = builder.maxHeaderCount;
    this.maxResponseBody = builder.maxResponseBody;
    this.expectContinueThreshold = builder.expectContinueThreshold;
    this.expectContinueTimeout = builder.expectContinueTimeout;
    this.userAgent = builder.userAgent;
    this.tls = builder.tls;
    this.resolver = builder.resolver;
  }

  /** Returns the defaults. */
  public static HttpClientOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the most connections open (busy, idle or connecting) to one origin. */
  public int maxConnectionsPerHost() {
    return maxConnectionsPerHost;
  }

  /** Returns the most connections open in all. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Returns how long a pooled connection may sit unused before it is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Returns how long a TCP connect may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Returns how long the response head may take once the request is sent. */
  public Duration responseTimeout() {
    return responseTimeout;
  }

  /** Returns the longest silence while a response body arrives. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Returns the largest response head (status line and fields) accepted, in bytes. */
  public int maxResponseHeadSize() {
    return maxResponseHeadSize;
  }

  /** Returns the most response header fields accepted. */
  public int maxHeaderCount() {
    return maxHeaderCount;
  }

  /** Returns the largest response body aggregated, in bytes. */
  public int maxResponseBody() {
    return maxResponseBody;
  }

  /** Returns the request body size from which {@code Expect: 100-continue} is sent. */
  public long expectContinueThreshold() {
    return expectContinueThreshold;
  }

  /** Returns how long to wait for {@code 100 Continue} before sending the body anyway. */
  public Duration expectContinueTimeout() {
    return expectContinueTimeout;
  }

  /** Returns the {@code User-Agent} sent when a request has none, or null. */
  public String userAgent() {
    return userAgent;
  }

  /** Returns the TLS options of {@code https} connections. */
  public TlsClientOptions tls() {
    return tls;
  }

  /** Returns the resolver, or null for the system's on the reactor's worker threads. */
  public HostResolver resolver() {
    return resolver;
  }

  /** Builds {@link HttpClientOptions}. */
  public static final class Builder {
    private int maxConnectionsPerHost = DEFAULT_MAX_PER_HOST;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
    private Duration responseTimeout = Duration.ofSeconds(DEFAULT_RESPONSE_TIMEOUT_SECONDS);
    private Duration readTimeout = Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS);
    private int maxResponseHeadSize = DEFAULT_MAX_HEAD_SIZE;
    private int maxHeaderCount = DEFAULT_MAX_HEADER_COUNT;
    private int maxResponseBody = DEFAULT_MAX_BODY;
    private long expectContinueThreshold = DEFAULT_EXPECT_CONTINUE_THRESHOLD;
    private Duration expectContinueTimeout = Duration.ofSeconds(1);
    private String userAgent = "Torsion";
    private TlsClientOptions tls = TlsClientOptions.defaults();
    private HostResolver resolver;

    private Builder() {}

    /** Sets the most connections to one origin, at least 1. */
    public Builder maxConnectionsPerHost(int connections) {
      this.maxConnectionsPerHost = atLeast("maxConnectionsPerHost", connections, 1);
      return this;
    }

    /** Sets the most connections in all, at least 1. */
    public Builder maxConnections(int connections) {
      this.maxConnections = atLeast("maxConnections", connections, 1);
      return this;
    }

    /** Sets how long a pooled connection may sit unused; positive. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /** Sets how long a TCP connect may take; positive. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** Sets how long the response head may take once the request is sent; positive. */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = positive("responseTimeout", timeout);
      return this;
    }

    /** Sets the longest silence while a response body arrives; positive. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive("readTimeout", timeout);
      return this;
    }

    /** Sets the largest response head accepted, at least 256 bytes. */
    public Builder maxResponseHeadSize(int bytes) {
      this.maxResponseHeadSize = atLeast("maxResponseHeadSize", bytes, 256);
      return this;
    }

    /** Sets the most response header fields accepted, at least 1. */
    public Builder maxHeaderCount(int count) {
      this.maxHeaderCount = atLeast("maxHeaderCount", count, 1);
      return this;
    }

    /** Sets the largest response body aggregated, at least 0. */
    public Builder maxResponseBody(int bytes) {
      this.maxResponseBody = atLeast("maxResponseBody", bytes, 0);
      return this;
    }

    /** Sets the request body size from which {@code Expect: 100-continue} is sent, at least 0. */
    public Builder expectContinueThreshold(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("expectContinueThreshold must be at least 0: " + bytes);
      }
      this.expectContinueThreshold = bytes;
      return this;
    }

    /** Sets how long to wait for {@code 100 Continue} before sending the body; positive. */
    public Builder expectContinueTimeout(Duration timeout) {
      this.expectContinueTimeout = positive("expectContinueTimeout", timeout);
      return this;
    }

    /** Sets the {@code User-Agent} sent when a request has none, or null for none. */
    public Builder userAgent(String value) {
      this.userAgent = value;
      return this;
    }

    /** Sets the TLS options of {@code https} connections. */
    public Builder tls(TlsClientOptions options) {
      this.tls = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Sets the resolver of host names (a fake one in tests). */
    public Builder resolver(HostResolver hostResolver) {
      this.resolver = Objects.requireNonNull(hostResolver, "hostResolver");
      return this;
    }

    /** Returns the options. */
    public HttpClientOptions build() {
      return new HttpClientOptions(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static int atLeast(String name, int value, int minimum) {
      if (value < minimum) {
        throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + value);
      }
      return value;
    }
  }
}
