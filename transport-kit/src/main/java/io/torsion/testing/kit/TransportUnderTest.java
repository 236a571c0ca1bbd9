package io.torsion.testing.kit;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.ReactorProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;

/**
 * One transport found on the test class path, for protocol tests that run on every transport (with
 * {@code torsion-transports-all} as a test dependency): a parameterised test takes {@link #all()}
 * and starts each test with {@link #newReactor}, which skips, saying why, a transport that cannot
 * run on this machine.
 *
 * <pre>{@code
 * // a parameterised test with @MethodSource("io.torsion.testing.kit.TransportUnderTest#all"):
 * void servesOnEveryTransport(TransportUnderTest transport) {
 *     try (BackgroundReactor background = BackgroundReactor.start(transport.newReactor(ReactorOptions.defaults()))) { ... }
 * }
 * }</pre>
 *
 * @param provider the transport's provider
 * @param availability whether it can run here, and if not why
 */
public record TransportUnderTest(ReactorProvider provider, Availability availability) {
  private static final System.Logger LOG = System.getLogger("io.torsion.testing.kit");

  /**
   * Returns every transport on the class path, by name; the ones that cannot run here are logged.
   */
  public static List<TransportUnderTest> all() {
    List<TransportUnderTest> found = new ArrayList<>();
    for (ReactorProvider provider : ServiceLoader.load(ReactorProvider.class)) {
      TransportUnderTest transport = new TransportUnderTest(provider, provider.availability());
      if (!transport.availability.available()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "Transport ''{0}'' cannot run here; its tests are skipped: {1}",
            provider.name(),
            transport.availability.describe());
      }
      found.add(transport);
    }
    found.sort(Comparator.comparing(TransportUnderTest::name));
    return found;
  }

  /** Returns the transport's name, e.g. {@code epoll}. */
  public String name() {
    return provider.name();
  }

  /**
   * Returns a new reactor of this transport, not yet running; aborts the calling test (reported as
   * skipped, with the reason) if the transport cannot run here.
   */
  public Reactor newReactor(ReactorOptions options) {
    Assumptions.assumeTrue(
        availability.available(),
        () -> "transport '" + name() + "' cannot run here: " + availability.describe());
    return Reactor.create(options, provider);
  }

  @Override
  public String toString() {
    return name();
  }
}
