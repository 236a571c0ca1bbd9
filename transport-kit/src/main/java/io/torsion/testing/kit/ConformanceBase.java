package io.torsion.testing.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.ReactorProvider;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The life cycle of the kit's tests: finds the transport's provider, runs each test against a fresh
 * reactor of it (created directly, ignoring {@code -Dtorsion.reactor}), and skips every test, with
 * the reason logged and given to JUnit, when the transport cannot run on this machine. Extend
 * {@link TransportConformanceKit} for the whole kit, or this class with the concern interfaces that
 * apply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ConformanceBase implements KitContext {
  private static final System.Logger LOG = System.getLogger("io.torsion.testing.kit");

  private ReactorProvider provider;
  private Availability availability;
  private BackgroundReactor background;

  /** For subclasses: one per transport under test. */
  protected ConformanceBase() {}

  /** Returns the name of the provider under test, e.g. {@code "nio"}. */
  protected abstract String transportName();

  /**
   * Returns the provider under test: by default the one of {@link #transportName()} on the class
   * path.
   */
  protected ReactorProvider findProvider() {
    for (ReactorProvider candidate : ServiceLoader.load(ReactorProvider.class)) {
      if (candidate.name().equals(transportName())) {
        return candidate;
      }
    }
    return null;
  }

  /** Returns the options each test's reactor is created with; override to tune. */
  @Override
  public ReactorOptions options() {
    return ReactorOptions.builder().shutdownTimeout(Duration.ofSeconds(5)).build();
  }

  @BeforeAll
  void findTransport() {
    provider = findProvider();
    assertThat(provider).as("provider '%s' on the test class path", transportName()).isNotNull();
    availability = provider.availability();
    if (!availability.available()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Skipping the conformance kit for ''{0}'': {1}",
          transportName(),
          availability.describe());
    }
  }

  @BeforeEach
  void startReactor() {
    Assumptions.assumeTrue(
        availability.available(),
        () -> "transport '" + transportName() + "' cannot run here: " + availability.describe());
    background = BackgroundReactor.start(newReactor());
  }

  @AfterEach
  void stopReactor() {
    if (background != null) {
      background.close();
    }
  }

  /** Creates a reactor of the transport under test, not yet running. */
  @Override
  public Reactor newReactor() {
    return newReactor(options());
  }

  /** Creates a reactor of the transport under test with {@code options}, not yet running. */
  @Override
  public Reactor newReactor(ReactorOptions options) {
    return Reactor.create(options, provider);
  }

  /** Returns the running reactor of the current test. */
  @Override
  public Reactor reactor() {
    return background.reactor();
  }

  /** Returns the running reactor's harness. */
  @Override
  public BackgroundReactor background() {
    return background;
  }

  /** Listens on 127.0.0.1, port 0, and returns the port. */
  @Override
  public int listen(Factory<?> factory) {
    return background.call(() -> reactor().listenTCP(0, "127.0.0.1", factory).port());
  }

  /** Returns the outcome of {@code deferred} as a future, attaching on the reactor thread. */
  @Override
  public <T> CompletableFuture<T> outcome(Callable<Deferred<T>> start) {
    CompletableFuture<T> result = new CompletableFuture<>();
    background.execute(
        () -> {
          try {
            start
                .call()
                .addCallbacks(
                    value -> {
                      result.complete(value);
                      return null;
                    },
                    failure -> {
                      result.completeExceptionally(failure.value());
                      return null;
                    });
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }
}
