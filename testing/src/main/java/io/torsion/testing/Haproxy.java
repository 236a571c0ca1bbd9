package io.torsion.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A real HAProxy (Debian's {@code haproxy}) for interop tests: one process in the foreground, its
 * configuration made from the {@code frontend}/{@code backend} sections given, listening where they
 * say; {@link #close()} stops it. Ask {@link #freePort()} for the ports to put in them. Check
 * {@link #installed()} first; {@link #requirePresent()} says what a test does when it is not.
 *
 * <pre>{@code
 * int front = Haproxy.freePort();
 * try (Haproxy haproxy = Haproxy.start(front,
 *     "frontend f\n  mode tcp\n  bind 127.0.0.1:" + front + "\n  default_backend b\n"
 *         + "backend b\n  mode tcp\n  server s 127.0.0.1:" + port + " send-proxy-v2\n")) {
 *   ...
 * }
 * }</pre>
 */
public final class Haproxy implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/haproxy");

  private final ServerProcess process;

  private Haproxy(ServerProcess process) {
    this.process = process;
  }

  /** Returns true if HAProxy is installed where Debian puts it. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Returns null when HAProxy is installed; otherwise the reason to skip a test, or, under CI (the
   * {@code CI} variable set), throws: CI installs it, so its absence is a failure there.
   */
  public static String requirePresent() {
    if (installed()) {
      return null;
    }
    String why = "haproxy is not installed (apt-get install haproxy)";
    if (System.getenv("CI") != null) {
      throw new IllegalStateException(why + ", and CI must run the HAProxy tests");
    }
    return why;
  }

  /** Returns a port of 127.0.0.1 that was free a moment ago. */
  public static int freePort() throws IOException {
    return ServerProcess.freePort();
  }

  /**
   * Starts HAProxy with {@code sections} after a {@code defaults} section of short timeouts, and
   * returns once {@code listening} (a port its frontends bind) accepts connections.
   *
   * @throws IOException if it cannot start or does not listen in time
   */
  public static Haproxy start(int listening, String sections) throws IOException {
    Objects.requireNonNull(sections, "sections");
    Path dir = Files.createTempDirectory("haproxy");
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(
        config,
        "global\n  maxconn 1024\n"
            + "defaults\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
            + sections,
        StandardCharsets.UTF_8);
    return new Haproxy(
        ServerProcess.start(
            "haproxy", List.of(BINARY.toString(), "-f", config.toString(), "-db"), dir, listening));
  }

  /** Returns what HAProxy printed so far. */
  public String log() {
    return process.output();
  }

  /** Stops HAProxy and waits for it. */
  @Override
  public void close() {
    process.close();
  }
}
