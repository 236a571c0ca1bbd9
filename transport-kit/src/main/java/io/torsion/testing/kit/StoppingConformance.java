package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of stopping: from any thread, from a callback, shutdown triggers, and
 * the thread that runs the reactor.
 */
public interface StoppingConformance extends KitContext {

  /**
   * A stop request from another thread must never be lost, even when it races with the loop going
   * to sleep: repeated many times, a lost wakeup shows up as a reactor that does not stop.
   */
  @Test
  default void stopFromAnotherThreadAlwaysEndsRun() {
    for (int i = 0; i < 200; i++) {
      BackgroundReactor own = BackgroundReactor.start(newReactor());
      own.close(); // throws if run() does not return within the timeout
    }
  }

  @Test
  default void runningOnAnotherThreadThanTheOneThatSetItUpFailsWithAClearError() {
    Reactor own = newReactor();
    own.callLater(Duration.ofSeconds(1), () -> {}); // this thread now owns the reactor
    try {
      assertThatThrownBy(() -> BackgroundReactor.start(own))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "run() must be called on thread '" + Thread.currentThread().getName() + "'");
    } finally {
      own.stop();
    }
  }

  @Test
  default void stopFromACallbackEndsRun() {
    Reactor own = newReactor();
    CompletableFuture<Void> ran =
        CompletableFuture.runAsync(
            () -> {
              own.callLater(Duration.ofMillis(1), own::stop);
              own.run();
            });
    await(ran);
    assertThatThrownBy(own::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs once");
  }
}
