package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.Deferred;
import io.torsion.TimeoutError;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of the worker pool: deferToThread, callInThread,
 * blockingCallFromThread, timeouts on the reactor clock.
 */
public interface WorkerPoolConformance extends KitContext {

  @Test
  default void deferToThreadRunsWorkOnAPoolThreadAndFiresOnTheReactorThread() {
    CompletableFuture<Thread> worker = new CompletableFuture<>();
    CompletableFuture<Thread> firedOn = new CompletableFuture<>();
    CompletableFuture<String> value = new CompletableFuture<>();
    background()
        .execute(
            () ->
                reactor()
                    .deferToThread(
                        () -> {
                          worker.complete(Thread.currentThread());
                          return "computed";
                        })
                    .addCallback(
                        v -> {
                          firedOn.complete(Thread.currentThread());
                          value.complete(v);
                          return null;
                        }));
    assertThat(await(value)).isEqualTo("computed");
    assertThat(await(worker).getName()).startsWith("torsion-pool-");
    assertThat(await(firedOn)).isSameAs(background().thread());
  }

  @Test
  default void deferToThreadCarriesWhatTheWorkThrows() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    background()
        .execute(
            () ->
                reactor()
                    .deferToThread(
                        () -> {
                          throw new IOException("disk on fire");
                        })
                    .addErrback(
                        f -> {
                          failure.complete(f.value());
                          return null;
                        }));
    assertThat(await(failure)).isInstanceOf(IOException.class).hasMessage("disk on fire");
  }

  @Test
  default void suggestThreadPoolSizeLetsThatManyTasksRunAtOnce() throws Exception {
    reactor().suggestThreadPoolSize(3);
    CountDownLatch together = new CountDownLatch(3);
    List<CompletableFuture<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Boolean> met = new CompletableFuture<>();
      tasks.add(met);
      reactor()
          .callInThread(
              () -> {
                together.countDown();
                try {
                  met.complete(
                      together.await(
                          WAIT_SECONDS, TimeUnit.SECONDS)); // only if all three run at once
                } catch (InterruptedException e) {
                  met.completeExceptionally(e);
                }
              });
    }
    for (CompletableFuture<Boolean> task : tasks) {
      assertThat(await(task)).isTrue();
    }
  }

  @Test
  default void blockingCallFromThreadLetsOtherThreadsWriteSequentialCode() throws Exception {
    String reply =
        reactor()
            .blockingCallFromThread(
                () -> {
                  Deferred<String> later = new Deferred<>();
                  reactor()
                      .callLater(Duration.ofMillis(5), () -> later.callback("from the reactor"));
                  return later;
                });
    assertThat(reply).isEqualTo("from the reactor");
    assertThatThrownBy(
            () -> reactor().blockingCallFromThread(() -> Deferred.fail(new IOException("refused"))))
        .isInstanceOf(IOException.class)
        .hasMessage("refused");
  }

  @Test
  default void blockingCallFromThreadIsRefusedOnTheReactorThread() {
    assertThatThrownBy(
            () ->
                background()
                    .call(() -> reactor().blockingCallFromThread(() -> Deferred.succeed(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wait for itself");
  }

  @Test
  default void aDeferredTimesOutOnTheReactorsClock() {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    background()
        .execute(
            () ->
                new Deferred<String>()
                    .addTimeout(Duration.ofMillis(20), reactor())
                    .addErrback(
                        f -> {
                          failure.complete(f.value());
                          return null;
                        }));
    assertThat(await(failure)).isInstanceOf(TimeoutError.class);
  }
}
