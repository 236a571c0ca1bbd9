package io.torsion.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A real nginx (Debian's {@code nginx-light}) for interop tests: one worker, listening on a free
 * port of 127.0.0.1, serving {@code root} with the {@code location} blocks given, its
 * configuration, pid and logs in a directory of its own; {@link #close()} stops it. Check {@link
 * #installed()} first and skip the test with the reason when it is not.
 *
 * <pre>{@code
 * assumeTrue(Nginx.installed(), "nginx is not installed (apt-get install nginx-light)");
 * try (Nginx nginx = Nginx.start(site, "location = /old { return 301 /new; }")) {
 *     client.get("http://127.0.0.1:" + nginx.port() + "/index.html") ...
 * }
 * }</pre>
 */
public final class Nginx implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final ServerProcess process;
  private final int port;
  private final Path dir;

  private Nginx(ServerProcess process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Returns true if nginx is installed where Debian puts it. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts nginx serving the files under {@code root}, with {@code locations} (nginx syntax) inside
   * its {@code server} block, and returns once it accepts connections.
   *
   * @throws IOException if nginx cannot be started or does not listen in time
   */
  public static Nginx start(Path root, String locations) throws IOException {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(locations, "locations");
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before nginx binds
      try {
        return startOnce(root.toAbsolutePath(), locations);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static Nginx startOnce(Path root, String locations) throws IOException {
    int port = ServerProcess.freePort();
    Path dir = Files.createTempDirectory("nginx");
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    String conf =
        user
            + "worker_processes 1;\n"
            + "daemon off;\n"
            + "pid "
            + dir.resolve("nginx.pid")
            + ";\n"
            + "error_log "
            + dir.resolve("error.log")
            + " warn;\n"
            + "events { worker_connections 4096; }\n"
            + "http {\n"
            + "  access_log off;\n"
            + "  client_body_temp_path "
            + dir.resolve("body")
            + ";\n"
            + "  keepalive_requests 1000000;\n"
            + "  keepalive_timeout 60s;\n"
            + "  default_type text/html;\n"
            + "  server {\n"
            + "    listen 127.0.0.1:"
            + port
            + ";\n"
            + "    root "
            + root
            + ";\n"
            + locations
            + "\n  }\n"
            + "}\n";
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    ServerProcess process =
        ServerProcess.start(
            "nginx",
            List.of(BINARY.toString(), "-p", dir.toString(), "-c", confFile.toString()),
            dir,
            port);
    return new Nginx(process, port, dir);
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("stdout.log"))
          + (Files.exists(dir.resolve("error.log"))
              ? Files.readString(dir.resolve("error.log"))
              : "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the port nginx listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Returns nginx's error log so far (for a failing test's message). */
  public String errorLog() {
    return log(dir);
  }

  /** Stops nginx (a fast shutdown) and waits for it. */
  @Override
  public void close() {
    process.close();
  }
}
