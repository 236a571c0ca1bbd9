package io.torsion.protocols.redis;

import io.torsion.tls.TlsClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisClient} talks to its server. Every limit has a default:
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <thead><tr><th>option</th><th>default</th><th>past it</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #protocol()}</td><td>2 (RESP2, every Redis)</td><td>3 sends {@code HELLO 3}
 *         (Redis 6+)</td></tr>
 *     <tr><td>{@link #connectTimeout()}</td><td>5 s</td><td>the attempt fails; the client tries
 *         again after its back-off</td></tr>
 *     <tr><td>{@link #commandTimeout()}</td><td>5 s</td><td>the command fails with {@link
 *         io.torsion.TimeoutError}; one already sent drops the connection (the server is stuck,
 *         and every reply behind it would be late too), and the client reconnects</td></tr>
 *     <tr><td>{@link #maxPending()}</td><td>{@value #DEFAULT_MAX_PENDING} commands</td><td>sent
 *         and waiting for a reply, or waiting for a connection: more fail at once with {@link
 *         RedisConnectionError}</td></tr>
 *     <tr><td>{@link #maxBulkBytes()}</td><td>64 MiB</td><td>a longer bulk string in a reply is a
 *         {@link RedisProtocolError}</td></tr>
 *     <tr><td>{@link #maxElements()}</td><td>{@value #DEFAULT_MAX_ELEMENTS}</td><td>a larger array,
 *         set or map in a reply is a {@link RedisProtocolError}</td></tr>
 *     <tr><td>{@link #reconnectDelay()} to {@link #maxReconnectDelay()}</td><td>100 ms to 5
 *         s</td><td>each failed attempt doubles the wait (with 10% jitter), a connection that
 *         is up resets it</td></tr>
 *   </tbody>
 * </table>
 */
public final class RedisOptions {
  /** Default of {@link #maxPending()}. */
  public static final int DEFAULT_MAX_PENDING = 100_000;

  /** Default of {@link #maxElements()}. */
  public static final int DEFAULT_MAX_ELEMENTS = 1 << 20;

  private static final RedisOptions DEFAULTS = builder().build();

  private final int protocol;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final int maxPending;
  private final long maxBulkBytes;
  private final int maxElements;
  private final Duration reconnectDelay;
  private final Duration maxReconnectDelay;
  private final TlsClientOptions tls;

  private RedisOptions(Builder builder) {
    this.protocol = builder.protocol;
    this.connectTimeout = builder.connectTimeout;
    this.commandTimeout = builder.commandTimeout;
    this.maxPending = builder.maxPending;
    this.maxBulkBytes = builder.maxBulkBytes;
    this.maxElements = builder.maxElements;
    this.reconnectDelay = builder.reconnectDelay;
    this.maxReconnectDelay = builder.maxReconnectDelay;
    this.tls = builder.tls;
  }

  /** Returns the defaults of the table above. */
  public static RedisOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder that starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the RESP version spoken: 2, or 3 (negotiated with {@code HELLO 3}). */
  public int protocol() {
    return protocol;
  }

  /** Returns how long a connection attempt may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Returns how long a command may wait for its reply, counted from the call. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** Returns how many commands may wait for a reply or a connection at once. */
  public int maxPending() {
    return maxPending;
  }

  /** Returns the longest bulk string a reply may hold, in bytes. */
  public long maxBulkBytes() {
    return maxBulkBytes;
  }

  /** Returns the most elements an array, set or map of a reply may hold. */
  public int maxElements() {
    return maxElements;
  }

  /** Returns the wait before the first reconnection attempt. */
  public Duration reconnectDelay() {
    return reconnectDelay;
  }

  /** Returns the longest wait between reconnection attempts. */
  public Duration maxReconnectDelay() {
    return maxReconnectDelay;
  }

  /**
   * Returns the TLS options of a {@code rediss://} server, or null for the JDK's trust and host
   * name verification (the default).
   */
  public TlsClientOptions tls() {
    return tls;
  }

  /** Builds {@link RedisOptions}. */
  public static final class Builder {
    private int protocol = 2;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration commandTimeout = Duration.ofSeconds(5);
    private int maxPending = DEFAULT_MAX_PENDING;
    private long maxBulkBytes = 64L << 20;
    private int maxElements = DEFAULT_MAX_ELEMENTS;
    private Duration reconnectDelay = Duration.ofMillis(100);
    private Duration maxReconnectDelay = Duration.ofSeconds(5);
    private TlsClientOptions tls;

    private Builder() {}

    /** Speaks RESP {@code version}: 2, or 3 (Redis 6 and later). */
    public Builder protocol(int version) {
      if (version != 2 && version != 3) {
        throw new IllegalArgumentException("RESP versions are 2 and 3: " + version);
      }
      this.protocol = version;
      return this;
    }

    /** Sets how long a connection attempt may take. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Sets how long a command may wait for its reply. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /** Sets how many commands may wait for a reply or a connection at once. */
    public Builder maxPending(int commands) {
      if (commands < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1");
      }
      this.maxPending = commands;
      return this;
    }

    /** Sets the longest bulk string a reply may hold. */
    public Builder maxBulkBytes(long bytes) {
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBulkBytes must be from 1 to 2 GiB");
      }
      this.maxBulkBytes = bytes;
      return this;
    }

    /** Sets the most elements an aggregate of a reply may hold. */
    public Builder maxElements(int elements) {
      if (elements < 1) {
        throw new IllegalArgumentException("maxElements must be at least 1");
      }
      this.maxElements = elements;
      return this;
    }

    /** Sets the first and the longest wait between reconnection attempts. */
    public Builder reconnectDelay(Duration first, Duration longest) {
      positive(first, "reconnectDelay");
      if (longest.compareTo(first) < 0) {
        throw new IllegalArgumentException("the longest reconnect delay is under the first");
      }
      this.reconnectDelay = first;
      this.maxReconnectDelay = longest;
      return this;
    }

    /** Sets the TLS options of a {@code rediss://} server. */
    public Builder tls(TlsClientOptions tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** Returns the options. */
    public RedisOptions build() {
      return new RedisOptions(this);
    }

    private static Duration positive(Duration value, String name) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
