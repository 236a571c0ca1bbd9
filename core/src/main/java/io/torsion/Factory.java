package io.torsion;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds a {@link Protocol} for each connection: Twisted's {@code Factory}, used on both sides
 * ({@link Reactor#listenTCP} and {@link Reactor#connectTCP}). Shared state of a server (a chat
 * room's members, a counter) belongs in the factory.
 *
 * <pre>{@code
 * reactor.listenTCP(8000, Factory.of(Echo::new));
 * }</pre>
 *
 * <p>All methods are called on the reactor thread.
 *
 * @param <P> the protocol type built
 */
@FunctionalInterface
public interface Factory<P extends Protocol> {
  /**
   * Returns a new protocol for a connection with {@code peer}, or null to refuse it (the connection
   * is then closed at once).
   */
  P buildProtocol(SocketAddress peer);

  /** Called before the first port or connection using this factory starts. */
  default void startFactory() {}

  /** Called after the last port or connection using this factory has stopped. */
  default void stopFactory() {}

  /** Returns a factory that builds each protocol with {@code supplier}. */
  static <P extends Protocol> Factory<P> of(Supplier<? extends P> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return peer -> supplier.get();
  }
}
