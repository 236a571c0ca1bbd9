package io.torsion.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server started as a child process for a test, in a directory of its own, with its output
 * in {@code stdout.log} there: started once it accepts connections on its port of 127.0.0.1, and
 * stopped by {@link #close()}. The common part of {@link Nginx}, {@link RedisServer} and {@link
 * Haproxy}.
 */
class ServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path dir;

  ServerProcess(String name, Process process, Path dir) {
    this.name = name;
    this.process = process;
    this.dir = dir;
  }

  /** Returns a port of 127.0.0.1 that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Starts {@code command} in {@code dir} and waits until {@code port} accepts a connection. */
  static ServerProcess start(String name, List<String> command, Path dir, int port)
      throws IOException {
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    ServerProcess started = new ServerProcess(name, process, dir);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited at start: " + started.output());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return started;
      } catch (IOException notYet) {
        try {
          process.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if it exits
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
          throw new IOException("interrupted while " + name + " started", e);
        }
      }
    }
    process.destroyForcibly();
    throw new IOException(
        name + " did not listen within " + START_TIMEOUT + ": " + started.output());
  }

  /** Returns what the server printed so far. */
  String output() {
    try {
      Path log = dir.resolve("stdout.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  Process process() {
    return process;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
