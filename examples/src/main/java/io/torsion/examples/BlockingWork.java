package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.ReactorThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Blocking work off the reactor thread: {@code deferToThread} hashes a file on the worker pool
 * while the reactor stays free, and the result comes back, as a Deferred, on the reactor thread.
 */
public final class BlockingWork {
  private BlockingWork() {}

  /** Returns the SHA-256 of {@code file}, computed on the worker pool. */
  static Deferred<String> sha256(ReactorThreads threads, Path file) {
    return threads.deferToThread(
        () -> {
          MessageDigest digest = MessageDigest.getInstance("SHA-256");
          try (var in =
              Files.newInputStream(file)) { // blocking I/O: fine here, never on the reactor thread
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
              digest.update(buffer, 0, n);
            }
          }
          return HexFormat.of().formatHex(digest.digest());
        });
  }

  /** Prints the SHA-256 of {@code args[0]} (this program's jar by default). */
  public static void main(String[] args) throws Exception {
    Path file =
        args.length > 0
            ? Path.of(args[0])
            : Path.of(
                BlockingWork.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Reactor reactor = Reactor.create();
    sha256(reactor, file)
        .addCallbacks(
            hash -> {
              System.out.println(hash + "  " + file);
              reactor.stop();
              return null;
            },
            failure -> {
              System.out.println("cannot hash " + file + ": " + failure.message());
              reactor.stop();
              return null;
            });
    reactor.run();
  }
}
