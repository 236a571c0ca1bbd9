package io.torsion;

import java.time.Duration;
import java.util.Objects;

/**
 * How to build a {@link Reactor}. Immutable; build one with {@link #builder()}.
 *
 * <table class="striped">
 *   <caption>Options and their defaults</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@link #transport()}</td><td>none (auto)</td>
 *         <td>the provider to force by name; the system property {@code torsion.reactor} and the
 *         environment variable {@code TORSION_REACTOR} take precedence</td></tr>
 *     <tr><td>{@link #connectTimeout()}</td><td>{@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s</td>
 *         <td>how long {@link Reactor#connectTCP(String, int, Factory)} waits</td></tr>
 *     <tr><td>{@link #shutdownTimeout()}</td><td>{@value #DEFAULT_SHUTDOWN_TIMEOUT_SECONDS} s</td>
 *         <td>how long shutdown waits for trigger Deferreds and for connections to flush</td></tr>
 *   </tbody>
 * </table>
 */
public final class ReactorOptions {
  /** Default of {@link #connectTimeout()}, in seconds. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;

  /** Default of {@link #shutdownTimeout()}, in seconds. */
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;

  private static final ReactorOptions DEFAULTS = new Builder().build();

  private final String transport;
  private final Duration connectTimeout;
  private final Duration shutdownTimeout;

  private ReactorOptions(Builder builder) {
    this.transport = builder.transport;
    this.connectTimeout = builder.connectTimeout;
    this.shutdownTimeout = builder.shutdownTimeout;
  }

  /** Returns the default options. */
  public static ReactorOptions defaults() {
    return DEFAULTS;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these options. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.transport = transport;
    builder.connectTimeout = connectTimeout;
    builder.shutdownTimeout = shutdownTimeout;
    return builder;
  }

  /** Returns the transport to force by name, or null to choose automatically. */
  public String transport() {
    return transport;
  }

  /** Returns how long a connection attempt may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Returns how long shutdown waits for triggers and for connections to flush. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  @Override
  public String toString() {
    return "ReactorOptions[transport=" + (transport == null ? "auto" : transport)
        + ", connectTimeout=" + connectTimeout + ", shutdownTimeout=" + shutdownTimeout + "]";
  }

  /** Builds {@link ReactorOptions}. */
  public static final class Builder {
    private String transport;
    private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
    private Duration shutdownTimeout = Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);

    private Builder() {}

    /** Forces the provider named {@code name} ({@code nio}, {@code epoll}, ...), or null for auto. */
    public Builder transport(String name) {
      if (name != null && name.isBlank()) {
        throw new IllegalArgumentException("transport name is blank");
      }
      this.transport = name;
      return this;
    }

    /** Sets how long a connection attempt may take; must be positive. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** Sets how long shutdown waits for triggers and flushing; zero or positive. */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "shutdownTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout is negative: " + timeout);
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /** Returns the options. */
    public ReactorOptions build() {
      return new ReactorOptions(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
