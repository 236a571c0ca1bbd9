package io.torsion.testing.kit;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * What the kit's tests need of the test class they run in: the transport's reactors. {@link
 * ConformanceBase} implements it; the tests come from the interfaces that extend it, one per
 * concern, so that a transport that cannot have real sockets (the in-memory one) runs the concerns
 * that need none.
 */
public interface KitContext {
  /**
   * Returns the TLS engine the TLS suite runs on: the JDK's by default; the OpenSSL engine's module
   * runs the suite again with {@code "openssl"}.
   */
  default String tlsEngine() {
    return "jdk";
  }

  /** Returns the options each test's reactor is created with. */
  ReactorOptions options();

  /** Creates a reactor of the transport under test, not yet running. */
  Reactor newReactor();

  /** Creates a reactor of the transport under test with {@code options}, not yet running. */
  Reactor newReactor(ReactorOptions options);

  /** Returns the running reactor of the current test. */
  Reactor reactor();

  /** Returns the running reactor's harness. */
  BackgroundReactor background();

  /** Listens on 127.0.0.1, port 0, and returns the port. */
  int listen(Factory<?> factory);

  /**
   * Returns the outcome of the Deferred that {@code start} returns, started on the reactor thread.
   */
  <T> CompletableFuture<T> outcome(Callable<Deferred<T>> start);
}
