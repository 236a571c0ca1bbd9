package io.torsion.spi;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;

/**
 * A transport that can run a {@link Reactor}, found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/io.torsion.spi.ReactorProvider}.
 *
 * <p>{@link Reactor#create()} asks every provider for its {@link #priority(Platform)} and {@link
 * #availability()}, and calls {@link #create} on the available one with the highest positive
 * priority, or on the one forced by name. Implementations must not throw from {@code priority} or
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
   * Creates a reactor. Called only after {@link #availability()} said it can run.
   *
   * @param report the selection report, to which the reactor may add details
   */
  Reactor create(ReactorOptions options, ReactorReport report);
}
