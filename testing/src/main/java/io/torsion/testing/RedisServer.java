package io.torsion.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} (Debian's {@code redis-server} package) for tests: on a free port of
 * 127.0.0.1, without persistence, its files in a directory of its own; {@link #close()} stops it.
 * Check {@link #installed()} first; {@link #requirePresent()} says what a test does when it is not.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   RedisClient client = RedisClient.create(reactor, redis.uri());
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final ServerProcess process;
  private final int port;
  private final List<String> options;
  private final boolean tls;

  private RedisServer(ServerProcess process, int port, List<String> options, boolean tls) {
    this.process = process;
    this.port = port;
    this.options = options;
    this.tls = tls;
  }

  /** Returns true if {@code redis-server} is installed where Debian puts it. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Returns null when redis-server is installed; otherwise the reason to skip a test, or, under CI
   * (the {@code CI} variable set), throws: CI installs it, so its absence is a failure there.
   */
  public static String requirePresent() {
    if (installed()) {
      return null;
    }
    String why = "redis-server is not installed (apt-get install redis-server)";
    if (System.getenv("CI") != null) {
      throw new IllegalStateException(why + ", and CI must run the Redis tests");
    }
    return why;
  }

  /** Starts a server with no password. */
  public static RedisServer start() throws IOException {
    return start(List.of());
  }

  /**
   * Starts a server with extra configuration, each a {@code redis-server} command-line option pair
   * ({@code "--requirepass", "secret"}).
   */
  public static RedisServer start(List<String> options) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before it binds
      try {
        return startOn(ServerProcess.freePort(), options);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Starts a server that speaks TLS only, with the PEM {@code certificate} and {@code key}, not
   * asking clients for certificates; {@link #uri()} is then {@code rediss://}.
   */
  public static RedisServer startTls(Path certificate, Path key) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = ServerProcess.freePort();
      try {
        return startOn(
            port,
            List.of(
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--tls-cert-file",
                certificate.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-auth-clients",
                "no"));
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static RedisServer startOn(int port, List<String> options) throws IOException {
    Path dir = Files.createTempDirectory("redis");
    List<String> command =
        new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port)));
    command.addAll(
        List.of(
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no",
            "--protected-mode",
            "yes"));
    command.addAll(options);
    return new RedisServer(
        ServerProcess.start("redis-server", command, dir, port),
        port,
        List.copyOf(options),
        options.contains("--tls-port"));
  }

  /**
   * Stops this server and starts a new one, empty, on the same port and with the same options (a
   * restart, as clients see one).
   */
  public RedisServer restart() throws IOException {
    close();
    return startOn(port, options);
  }

  /** Returns the port it listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Returns {@code redis://127.0.0.1:PORT}, or {@code rediss://} for a TLS server. */
  public String uri() {
    return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
  }

  /** Returns what the server logged so far. */
  public String log() {
    return process.output();
  }

  /** Stops the server and waits for it. */
  @Override
  public void close() {
    process.close();
  }
}
