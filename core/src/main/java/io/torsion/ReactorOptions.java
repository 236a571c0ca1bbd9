package io.torsion;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

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
 *     <tr><td>{@link #threads()}</td><td>1</td>
 *         <td>event-loop threads; each connection is pinned to one. The system property {@code
 *         torsion.reactor.threads} takes precedence</td></tr>
 *     <tr><td>{@link #connectTimeout()}</td><td>{@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s</td>
 *         <td>how long {@link Reactor#connectTCP(String, int, Factory)} waits</td></tr>
 *     <tr><td>{@link #shutdownTimeout()}</td><td>{@value #DEFAULT_SHUTDOWN_TIMEOUT_SECONDS} s</td>
 *         <td>how long shutdown waits for trigger Deferreds and for connections to flush</td></tr>
 *     <tr><td>{@link #threadPoolSize()}</td><td>{@value #DEFAULT_THREAD_POOL_SIZE}</td>
 *         <td>worker threads for {@code deferToThread} and {@code callInThread}</td></tr>
 *     <tr><td>{@link #workerExecutor()}</td><td>none: the bounded pool above</td>
 *         <td>an executor of yours for that work instead (virtual threads on Java 21+)</td></tr>
 *     <tr><td>{@link #childProcesses()}</td><td>{@code TERMINATE}</td>
 *         <td>what shutdown does to running child processes</td></tr>
 *     <tr><td>{@link #writeBufferHighWatermark()}</td><td>{@value #DEFAULT_HIGH_WATERMARK} bytes</td>
 *         <td>queued output above which a registered producer is paused</td></tr>
 *     <tr><td>{@link #writeBufferLowWatermark()}</td><td>{@value #DEFAULT_LOW_WATERMARK} bytes</td>
 *         <td>queued output below which it is resumed (or a pull producer asked for more)</td></tr>
 *     <tr><td>{@link #writeBufferLimit()}</td><td>{@value #DEFAULT_WRITE_BUFFER_LIMIT} bytes (16 MiB)</td>
 *         <td>queued output beyond which the connection is aborted: the peer is not reading</td></tr>
 *     <tr><td>{@link #readsFollowWrites()}</td><td>true</td>
 *         <td>a connection without a producer stops reading while its output is above the high
 *         watermark, until it falls below the low one (judged after each write, and at the end of
 *         a read burst once its writes are flushed: at most one burst, 1 MiB, beyond the high
 *         watermark)</td></tr>
 *     <tr><td>{@link #outputBudget()}</td><td>a quarter of the smaller of the JVM's maximum heap
 *         and maximum direct memory, at least {@value #MIN_DEFAULT_OUTPUT_BUDGET} bytes</td>
 *         <td>queued output of all connections together; past it, the connections holding the
 *         most are aborted with a reason</td></tr>
 *     <tr><td>{@link #socketReceiveBuffer()}, {@link #socketSendBuffer()}</td><td>0 (the OS
 *         default, autotuned)</td>
 *         <td>the kernel's buffers of each connection ({@code SO_RCVBUF}, {@code SO_SNDBUF}):
 *         bound them to bound what thousands of hostile peers cost the kernel</td></tr>
 *     <tr><td>{@link #installSignalHandlers()}</td><td>true</td>
 *         <td>{@link Reactor#run()} on the main thread makes SIGINT and SIGTERM stop the reactor
 *         cleanly (the JVM's own handling comes back when {@code run()} returns)</td></tr>
 *   </tbody>
 * </table>
 */
public final class ReactorOptions {
  /** Default of {@link #connectTimeout()}, in seconds. */
  public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;

  /** Default of {@link #shutdownTimeout()}, in seconds. */
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;

  /** Default of {@link #threadPoolSize()}. */
  public static final int DEFAULT_THREAD_POOL_SIZE = 10;

  /** What shutdown does to child processes still running. */
  public enum ChildProcesses {
    /** Send TERM, wait within the shutdown timeout, then KILL what is left. */
    TERMINATE,
    /** Wait within the shutdown timeout, then KILL what is left. */
    WAIT
  }

  /** Default of {@link #writeBufferHighWatermark()}: 64 KiB. */
  public static final int DEFAULT_HIGH_WATERMARK = 64 * 1024;

  /** Default of {@link #writeBufferLowWatermark()}: 32 KiB. */
  public static final int DEFAULT_LOW_WATERMARK = 32 * 1024;

  /** Default of {@link #writeBufferLimit()}: 16 MiB. */
  public static final long DEFAULT_WRITE_BUFFER_LIMIT = 16L * 1024 * 1024;

  /** The smallest default {@link #outputBudget()}: 16 MiB. */
  public static final long MIN_DEFAULT_OUTPUT_BUDGET = 16L * 1024 * 1024;

  private static final ReactorOptions DEFAULTS = new Builder().build();

  private final String transport;
  private final int threads;
  private final Duration connectTimeout;
  private final Duration shutdownTimeout;
  private final int lowWatermark;
  private final int threadPoolSize;
  private final Executor workerExecutor;
  private final ChildProcesses childProcesses;
  private final int highWatermark;
  private final long writeBufferLimit;
  private final long outputBudget;
  private final boolean readsFollowWrites;
  private final boolean installSignalHandlers;
  private final int socketReceiveBuffer;
  private final int socketSendBuffer;

  private ReactorOptions(Builder builder) {
    this.socketReceiveBuffer = builder.socketReceiveBuffer;
    this.socketSendBuffer = builder.socketSendBuffer;
    this.transport = builder.transport;
    this.threads = builder.threads;
    this.connectTimeout = builder.connectTimeout;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.lowWatermark = builder.lowWatermark;
    this.threadPoolSize = builder.threadPoolSize;
    this.workerExecutor = builder.workerExecutor;
    this.childProcesses = builder.childProcesses;
    this.highWatermark = builder.highWatermark;
    this.writeBufferLimit = builder.writeBufferLimit;
    this.outputBudget = builder.outputBudget > 0 ? builder.outputBudget : defaultOutputBudget();
    this.readsFollowWrites = builder.readsFollowWrites;
    this.installSignalHandlers = builder.installSignalHandlers;
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
    builder.threads = threads;
    builder.connectTimeout = connectTimeout;
    builder.shutdownTimeout = shutdownTimeout;
    builder.lowWatermark = lowWatermark;
    builder.threadPoolSize = threadPoolSize;
    builder.workerExecutor = workerExecutor;
    builder.childProcesses = childProcesses;
    builder.highWatermark = highWatermark;
    builder.writeBufferLimit = writeBufferLimit;
    builder.outputBudget = outputBudget;
    builder.readsFollowWrites = readsFollowWrites;
    builder.installSignalHandlers = installSignalHandlers;
    builder.socketReceiveBuffer = socketReceiveBuffer;
    builder.socketSendBuffer = socketSendBuffer;
    return builder;
  }

  /** Returns the transport to force by name, or null to choose automatically. */
  public String transport() {
    return transport;
  }

  /**
   * Returns the number of event-loop threads: the thread that calls {@link Reactor#run()} plus
   * {@code threads - 1} workers. With one (the default) every callback runs on one thread, as in
   * Twisted.
   */
  public int threads() {
    return threads;
  }

  /** Returns how long a connection attempt may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Returns how long shutdown waits for triggers and for connections to flush. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** Returns the number of worker threads for blocking work. */
  public int threadPoolSize() {
    return threadPoolSize;
  }

  /**
   * Returns the executor that runs blocking work ({@code deferToThread}, {@code callInThread})
   * instead of the reactor's bounded pool, or null for the pool.
   */
  public Executor workerExecutor() {
    return workerExecutor;
  }

  /** Returns what shutdown does to child processes still running. */
  public ChildProcesses childProcesses() {
    return childProcesses;
  }

  /** Returns the queued-output size above which a registered producer is paused, in bytes. */
  public int writeBufferHighWatermark() {
    return highWatermark;
  }

  /** Returns the queued-output size below which a paused producer is resumed, in bytes. */
  public int writeBufferLowWatermark() {
    return lowWatermark;
  }

  /** Returns the queued-output size beyond which a connection is aborted, in bytes. */
  public long writeBufferLimit() {
    return writeBufferLimit;
  }

  /**
   * Returns the bound on queued output of all connections together, in bytes. Past it, the
   * connections of the writing thread that hold the most are aborted with a {@link
   * ConnectionAborted} naming the budget, until the total fits again.
   */
  public long outputBudget() {
    return outputBudget;
  }

  /**
   * Returns whether a connection with no registered producer stops reading while its queued output
   * is above the high watermark (resuming below the low one), so that a peer that sends without
   * reading cannot make the server queue its replies without bound.
   */
  public boolean readsFollowWrites() {
    return readsFollowWrites;
  }

  /**
   * Returns whether {@link Reactor#run()} installs handlers that make SIGINT and SIGTERM stop the
   * reactor cleanly, as Twisted's reactor does. As in Twisted, only a reactor run on the JVM's main
   * thread installs them (one run by {@code BackgroundReactor} never does); turn off when the
   * program handles signals itself.
   */
  public boolean installSignalHandlers() {
    return installSignalHandlers;
  }

  /**
   * Returns the kernel receive buffer of each connection ({@code SO_RCVBUF}, set on listening
   * sockets too, so that accepted ones inherit it), or 0 for the OS default. The OS grows its
   * default up to several MiB per connection as the application reads (Linux: {@code
   * net.ipv4.tcp_rmem}); a bound keeps a storm of peers from driving the kernel into TCP memory
   * pressure, where it drops packets of every connection. It also bounds one connection's window.
   */
  public int socketReceiveBuffer() {
    return socketReceiveBuffer;
  }

  /**
   * Returns the kernel send buffer of each connection ({@code SO_SNDBUF}), or 0 for the OS default.
   */
  public int socketSendBuffer() {
    return socketSendBuffer;
  }

  /**
   * Returns the default {@link #outputBudget()} for this JVM: a quarter of the smaller of the
   * maximum heap and the maximum direct memory, at least {@value #MIN_DEFAULT_OUTPUT_BUDGET}.
   */
  public static long defaultOutputBudget() {
    return DefaultBudget.BYTES;
  }

  /**
   * Computed once, when first needed: reading the JVM's arguments starts its management support.
   */
  private static final class DefaultBudget {
    static final long BYTES = compute();

    private static long compute() {
      long heap = Runtime.getRuntime().maxMemory();
      long direct = maxDirectMemory(heap);
      return Math.max(MIN_DEFAULT_OUTPUT_BUDGET, Math.min(heap, direct) / 4);
    }
  }

  /**
   * Reads {@code -XX:MaxDirectMemorySize}; without it the JDK allows as much as the maximum heap.
   */
  private static long maxDirectMemory(long heap) {
    long direct = heap;
    try {
      for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (argument.startsWith("-XX:MaxDirectMemorySize=")) {
          direct = parseSize(argument.substring("-XX:MaxDirectMemorySize=".length()), heap);
        }
      }
    } catch (RuntimeException | LinkageError unavailable) {
      return heap; // no management support: assume the JDK's default
    }
    return direct <= 0 ? heap : direct;
  }

  private static long parseSize(String size, long otherwise) {
    if (size.isEmpty()) {
      return otherwise;
    }
    char unit = Character.toLowerCase(size.charAt(size.length() - 1));
    long scale =
        switch (unit) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          case 't' -> 1L << 40;
          default -> 1;
        };
    try {
      return Long.parseLong(scale == 1 ? size : size.substring(0, size.length() - 1)) * scale;
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  @Override
  public String toString() {
    return "ReactorOptions[transport="
        + (transport == null ? "auto" : transport)
        + ", threads="
        + threads
        + ", connectTimeout="
        + connectTimeout
        + ", shutdownTimeout="
        + shutdownTimeout
        + ", writeBuffer="
        + lowWatermark
        + "/"
        + highWatermark
        + "/"
        + writeBufferLimit
        + ", outputBudget="
        + outputBudget
        + ", readsFollowWrites="
        + readsFollowWrites
        + "]";
  }

  /** Builds {@link ReactorOptions}. */
  public static final class Builder {
    private String transport;
    private int threads = 1;
    private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
    private Duration shutdownTimeout = Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
    private int lowWatermark = DEFAULT_LOW_WATERMARK;
    private int threadPoolSize = DEFAULT_THREAD_POOL_SIZE;
    private Executor workerExecutor;
    private ChildProcesses childProcesses = ChildProcesses.TERMINATE;
    private int highWatermark = DEFAULT_HIGH_WATERMARK;
    private long writeBufferLimit = DEFAULT_WRITE_BUFFER_LIMIT;
    private long outputBudget; // 0: derived from the JVM's limits when built
    private boolean readsFollowWrites = true;
    private boolean installSignalHandlers = true;
    private int socketReceiveBuffer;
    private int socketSendBuffer;

    private Builder() {}

    /**
     * Sets each connection's kernel receive and send buffers in bytes ({@code SO_RCVBUF}, {@code
     * SO_SNDBUF}); 0 keeps the OS default. For a server facing many untrusted peers with small
     * messages, 64 to 256 KiB bounds kernel memory per connection at no cost on a LAN.
     */
    public Builder socketBuffers(int receive, int send) {
      if (receive < 0 || send < 0) {
        throw new IllegalArgumentException(
            "socket buffers must be 0 (OS default) or positive: receive="
                + receive
                + ", send="
                + send);
      }
      this.socketReceiveBuffer = receive;
      this.socketSendBuffer = send;
      return this;
    }

    /** Sets the bound on queued output of all connections together, in bytes; positive. */
    public Builder outputBudget(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("outputBudget must be positive: " + bytes);
      }
      this.outputBudget = bytes;
      return this;
    }

    /**
     * Sets whether connections without a producer stop reading while their output is backed up
     * (true by default). Turning it off makes every protocol responsible for its own flow.
     */
    public Builder readsFollowWrites(boolean follow) {
      this.readsFollowWrites = follow;
      return this;
    }

    /**
     * Sets whether {@link Reactor#run()} makes SIGINT and SIGTERM stop the reactor (true by
     * default).
     */
    public Builder installSignalHandlers(boolean install) {
      this.installSignalHandlers = install;
      return this;
    }

    /**
     * Sets the watermarks that pause (above {@code high}) and resume (below {@code low}) a
     * registered producer.
     *
     * @throws IllegalArgumentException unless {@code 0 < low <= high}
     */
    public Builder writeBufferWatermarks(int low, int high) {
      if (low <= 0 || low > high) {
        throw new IllegalArgumentException(
            "write buffer watermarks need 0 < low <= high: low=" + low + ", high=" + high);
      }
      this.lowWatermark = low;
      this.highWatermark = high;
      return this;
    }

    /**
     * Sets the queued-output size beyond which a connection is aborted; it must be above the high
     * watermark (checked by {@link #build()}).
     */
    public Builder writeBufferLimit(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("writeBufferLimit must be positive: " + bytes);
      }
      this.writeBufferLimit = bytes;
      return this;
    }

    /**
     * Forces the provider named {@code name} ({@code nio}, {@code epoll}, ...), or null for auto.
     */
    public Builder transport(String name) {
      if (name != null && name.isBlank()) {
        throw new IllegalArgumentException("transport name is blank");
      }
      this.transport = name;
      return this;
    }

    /**
     * Sets the number of event-loop threads, at least 1. With more than one, each connection is
     * pinned to one thread (its callbacks run there), {@code callFromThread} tasks run on the
     * thread that calls {@code run()}, and listening ports spread connections over all threads.
     */
    public Builder threads(int count) {
      if (count < 1 || count > 1024) {
        throw new IllegalArgumentException("threads must be between 1 and 1024: " + count);
      }
      this.threads = count;
      return this;
    }

    /** Sets the number of worker threads for blocking work, at least 1. */
    public Builder threadPoolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("threadPoolSize must be at least 1: " + size);
      }
      this.threadPoolSize = size;
      return this;
    }

    /**
     * Runs blocking work on {@code executor} instead of the reactor's bounded pool: on Java 21+,
     * {@code Executors.newVirtualThreadPerTaskExecutor()} gives each call a virtual thread, so slow
     * or abandoned work holds no pool thread. The reactor does not shut it down; {@link
     * Reactor#suggestThreadPoolSize} does not apply to it. {@link Reactor#report()} says which runs
     * the work.
     */
    public Builder workerExecutor(Executor executor) {
      this.workerExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Sets what shutdown does to child processes still running. */
    public Builder childProcesses(ChildProcesses policy) {
      this.childProcesses = Objects.requireNonNull(policy, "childProcesses");
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

    /**
     * Returns the options.
     *
     * @throws IllegalArgumentException if the write buffer limit is not above the high watermark
     */
    public ReactorOptions build() {
      if (writeBufferLimit <= highWatermark) {
        throw new IllegalArgumentException(
            "writeBufferLimit ("
                + writeBufferLimit
                + ") must be above the high watermark ("
                + highWatermark
                + ")");
      }
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
