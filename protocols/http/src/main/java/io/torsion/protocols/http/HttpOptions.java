package io.torsion.protocols.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits an HTTP server enforces, each with the status it answers when exceeded. Immutable;
 * build with {@link #builder()}.
 *
 * <table class="striped">
 *   <caption>Limits and their defaults</caption>
 *   <thead><tr><th>limit</th><th>default</th><th>status when exceeded</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #maxRequestLineLength()}</td><td>{@value #DEFAULT_MAX_REQUEST_LINE} bytes</td><td>414</td></tr>
 *     <tr><td>{@link #maxHeaderSize()}</td><td>{@value #DEFAULT_MAX_HEADER_SIZE} bytes (header section,
 *         and trailers)</td><td>431</td></tr>
 *     <tr><td>{@link #maxHeaderCount()}</td><td>{@value #DEFAULT_MAX_HEADER_COUNT} fields</td><td>431</td></tr>
 *     <tr><td>{@link #maxChunkLineLength()}</td><td>{@value #DEFAULT_MAX_CHUNK_LINE} bytes (a chunk's size
 *         and extensions)</td><td>400</td></tr>
 *     <tr><td>{@link #maxBodySize()}</td><td>{@value #DEFAULT_MAX_BODY_SIZE} bytes</td><td>413</td></tr>
 *     <tr><td>{@link #headerTimeout()}</td><td>{@value #DEFAULT_HEADER_TIMEOUT_SECONDS} s from a
 *         request's first byte to its last header</td><td>408, then close</td></tr>
 *     <tr><td>{@link #minBodyRate()}</td><td>{@value #DEFAULT_MIN_BODY_RATE} bytes/s over each
 *         {@value #BODY_RATE_WINDOW_SECONDS} s while a body arrives</td><td>408, then close</td></tr>
 *     <tr><td>{@link #idleTimeout()}</td><td>{@value #DEFAULT_IDLE_TIMEOUT_SECONDS} s between
 *         requests</td><td>(the connection is closed)</td></tr>
 *     <tr><td>{@link #maxPipelined()}</td><td>{@value #DEFAULT_MAX_PIPELINED} requests</td>
 *         <td>none: reading pauses until responses catch up</td></tr>
 *     <tr><td>{@link #serverHeader()}</td><td>{@code Torsion}</td><td>(the {@code Server} field; null omits it)</td></tr>
 *     <tr><td>{@link #exposeErrors()}</td><td>false</td><td>(a 500 shows the exception's text)</td></tr>
 *     <tr><td>{@link #allowIdenticalContentLengths()}</td><td>false</td><td>400 for a repeated
 *         {@code Content-Length}, even with the same value</td></tr>
 *     <tr><td>{@link #accessLog()}</td><td>false</td><td>(one line per request at INFO on the logger
 *         {@value #ACCESS_LOGGER})</td></tr>
 *     <tr><td>{@link #observer()}</td><td>none</td><td>(hears every exchange, for metrics)</td></tr>
 *   </tbody>
 * </table>
 */
public final class HttpOptions {
  /** Default of {@link #maxRequestLineLength()}. */
  public static final int DEFAULT_MAX_REQUEST_LINE = 8192;

  /** Default of {@link #maxHeaderSize()}. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 16384;

  /** Default of {@link #maxHeaderCount()}. */
  public static final int DEFAULT_MAX_HEADER_COUNT = 100;

  /** Default of {@link #maxChunkLineLength()}, as Twisted's. */
  public static final int DEFAULT_MAX_CHUNK_LINE = 1024;

  /** The name of the {@link System.Logger} the access log goes to. */
  public static final String ACCESS_LOGGER = "io.torsion.protocols.http.access";

  /** Default of {@link #maxBodySize()}: 1 MiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

  /** Default of {@link #headerTimeout()}, in seconds. */
  public static final int DEFAULT_HEADER_TIMEOUT_SECONDS = 10;

  /** Default of {@link #minBodyRate()}, in bytes per second. */
  public static final int DEFAULT_MIN_BODY_RATE = 1024;

  /** The window over which {@link #minBodyRate()} is measured, in seconds. */
  public static final int BODY_RATE_WINDOW_SECONDS = 5;

  /** Default of {@link #idleTimeout()}, in seconds. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

  /** Default of {@link #maxPipelined()}. */
  public static final int DEFAULT_MAX_PIPELINED = 16;

  private static final HttpOptions DEFAULTS = builder().build();

  private final int maxRequestLineLength;
  private final int maxHeaderSize;
  private final int maxHeaderCount;
  private final int maxChunkLineLength;
  private final int maxBodySize;
  private final int maxPipelined;
  private final Duration headerTimeout;
  private final int minBodyRate;
  private final Duration idleTimeout;
  private final String serverHeader;
  private final boolean exposeErrors;
  private final boolean allowIdenticalContentLengths;
  private final boolean accessLog;
  private final HttpServerObserver observer;

  private HttpOptions(Builder builder) {
    this.maxRequestLineLength = builder.maxRequestLineLength;
    this.maxHeaderSize = builder.maxHeaderSize;
    this.maxHeaderCount = builder.maxHeaderCount;
    this.maxChunkLineLength = builder.maxChunkLineLength;
    this.maxBodySize = builder.maxBodySize;
    this.maxPipelined = builder.maxPipelined;
    this.headerTimeout = builder.headerTimeout;
    this.minBodyRate = builder.minBodyRate;
    this.idleTimeout = builder.idleTimeout;
    this.serverHeader = builder.serverHeader;
    this.exposeErrors = builder.exposeErrors;
    this.allowIdenticalContentLengths = builder.allowIdenticalContentLengths;
    this.accessLog = builder.accessLog;
    this.observer = builder.observer;
  }

  /** Returns the defaults. */
  public static HttpOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the longest request line accepted, CRLF excluded. */
  public int maxRequestLineLength() {
    return maxRequestLineLength;
  }

  /** Returns the largest header section (or trailer section) accepted, in bytes. */
  public int maxHeaderSize() {
    return maxHeaderSize;
  }

  /** Returns the most header fields accepted. */
  public int maxHeaderCount() {
    return maxHeaderCount;
  }

  /** Returns the longest chunk-size line (size and extensions) accepted, CRLF excluded. */
  public int maxChunkLineLength() {
    return maxChunkLineLength;
  }

  /**
   * Returns true if a request may repeat {@code Content-Length} with the same value ({@code 3, 3}),
   * which RFC 9112 6.3 permits; false by default, for a proxy in front that reads it otherwise
   * would frame the request differently (request smuggling).
   */
  public boolean allowIdenticalContentLengths() {
    return allowIdenticalContentLengths;
  }

  /**
   * Returns true if every response is logged: one line at INFO on the logger {@value
   * #ACCESS_LOGGER}, in Common Log Format followed by the duration in milliseconds.
   */
  public boolean accessLog() {
    return accessLog;
  }

  /** Returns the observer that hears every exchange, or null (the default). */
  public HttpServerObserver observer() {
    return observer;
  }

  /** Returns the largest request body accepted, in bytes. */
  public int maxBodySize() {
    return maxBodySize;
  }

  /** Returns how many requests of one connection may await their responses at once. */
  public int maxPipelined() {
    return maxPipelined;
  }

  /** Returns how long a request may take from its first byte to its last header. */
  public Duration headerTimeout() {
    return headerTimeout;
  }

  /** Returns the slowest a body may arrive, in bytes per second (0: no minimum). */
  public int minBodyRate() {
    return minBodyRate;
  }

  /** Returns how long a connection may sit with no request before it is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Returns the {@code Server} field's value, or null to send none. */
  public String serverHeader() {
    return serverHeader;
  }

  /** Returns true if a 500 carries the exception's text (for development only). */
  public boolean exposeErrors() {
    return exposeErrors;
  }

  /** Builds {@link HttpOptions}. */
  public static final class Builder {
    private int maxRequestLineLength = DEFAULT_MAX_REQUEST_LINE;
    private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
    private int maxHeaderCount = DEFAULT_MAX_HEADER_COUNT;
    private int maxChunkLineLength = DEFAULT_MAX_CHUNK_LINE;
    private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private int maxPipelined = DEFAULT_MAX_PIPELINED;
    private Duration headerTimeout = Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS);
    private int minBodyRate = DEFAULT_MIN_BODY_RATE;
    private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    private String serverHeader = "Torsion";
    private boolean exposeErrors;
    private boolean allowIdenticalContentLengths;
    private boolean accessLog;
    private HttpServerObserver observer;

    private Builder() {}

    /** Sets the longest chunk-size line accepted, at least 16 bytes. */
    public Builder maxChunkLineLength(int bytes) {
      this.maxChunkLineLength = atLeast("maxChunkLineLength", bytes, 16);
      return this;
    }

    /** Accepts a {@code Content-Length} repeated with the same value; off by default. */
    public Builder allowIdenticalContentLengths(boolean allow) {
      this.allowIdenticalContentLengths = allow;
      return this;
    }

    /** Logs one line per response (see {@link HttpOptions#accessLog()}); off by default. */
    public Builder accessLog(boolean on) {
      this.accessLog = on;
      return this;
    }

    /** Has {@code observer} hear every exchange (for metrics); none by default. */
    public Builder observer(HttpServerObserver observer) {
      this.observer = java.util.Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** Sets how many requests of one connection may await their responses at once, at least 1. */
    public Builder maxPipelined(int requests) {
      this.maxPipelined = atLeast("maxPipelined", requests, 1);
      return this;
    }

    /** Sets how long a request may take from its first byte to its last header; positive. */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = positive("headerTimeout", timeout);
      return this;
    }

    /** Sets the slowest a body may arrive, in bytes per second; 0 turns the check off. */
    public Builder minBodyRate(int bytesPerSecond) {
      this.minBodyRate = atLeast("minBodyRate", bytesPerSecond, 0);
      return this;
    }

    /** Sets how long a connection may sit with no request before it is closed; positive. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    /** Sets the {@code Server} field's value, or null to send none. */
    public Builder serverHeader(String value) {
      this.serverHeader = value;
      return this;
    }

    /** Makes a 500 carry the exception's text; off by default, for it may leak internals. */
    public Builder exposeErrors(boolean expose) {
      this.exposeErrors = expose;
      return this;
    }

    /** Sets the longest request line accepted, at least 16 bytes. */
    public Builder maxRequestLineLength(int bytes) {
      this.maxRequestLineLength = atLeast("maxRequestLineLength", bytes, 16);
      return this;
    }

    /** Sets the largest header section accepted, at least 64 bytes. */
    public Builder maxHeaderSize(int bytes) {
      this.maxHeaderSize = atLeast("maxHeaderSize", bytes, 64);
      return this;
    }

    /** Sets the most header fields accepted, at least 1. */
    public Builder maxHeaderCount(int count) {
      this.maxHeaderCount = atLeast("maxHeaderCount", count, 1);
      return this;
    }

    /** Sets the largest body accepted, at least 0. */
    public Builder maxBodySize(int bytes) {
      this.maxBodySize = atLeast("maxBodySize", bytes, 0);
      return this;
    }

    /** Returns the options. */
    public HttpOptions build() {
      return new HttpOptions(this);
    }

    private static int atLeast(String name, int value, int minimum) {
      if (value < minimum) {
        throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + value);
      }
      return value;
    }
  }
}
