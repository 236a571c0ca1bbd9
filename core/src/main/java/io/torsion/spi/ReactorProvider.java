package io.torsion.spi;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;

/**
 * A transport that can run a {@link Reactor}, found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/io.torsion.spi.ReactorProvider}, or {@code provides
 * io.torsion.spi.ReactorProvider with ...} in its module.
 *
 * <p>{@link Reactor#create()} asks every provider for its {@link #priority(Platform)} and {@link
 * #availability()}, and opens the {@link Network} of the available one with the highest positive
 * priority, or of the one forced by name. Implementations must not throw from {@code priority} or
 * {@code availability}: a provider whose natives cannot load reports why, in words a user can act
 * on. A provider needs a public no-argument constructor and should do no work in it.
 */
public interface ReactorProvider {
  /** Returns the name users force it by, e.g. {@code nio}, {@code epoll}; lower case. */
  String name();

  /**
   * Returns how strongly this transport suits {@code platform}: the highest available wins; 0 or
   * less means it is never chosen automatically, only when forced.
   */
  int priority(Platform platform);

  /** Returns whether this transport can run here, and if not, why. Never throws. */
  Availability availability();

  /**
   * Opens the sockets of one reactor. Called only after {@link #availability()} said it can run.
   */
  Network open(ReactorOptions options);
}
