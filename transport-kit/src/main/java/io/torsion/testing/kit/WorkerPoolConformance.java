package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.CancelledError;
import io.torsion.Deferred;
import io.torsion.ReactorOptions;
import io.torsion.ReactorThreads;
import io.torsion.TimeoutError;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  /** Fires {@code d} into a future, on the reactor thread. */
  private static <T> CompletableFuture<Object> outcome(Deferred<T> d) {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    d.addCallbacks(
        value -> {
          outcome.complete(value);
          return null;
        },
        failure -> {
          outcome.complete(failure.value());
          return null;
        });
    return outcome;
  }

  private void cancelOnTheReactor(Deferred<?> d) {
    background()
        .call(
            () -> {
              d.cancel();
              return null;
            });
  }

  @Test
  default void cancelledQueuedWorkNeverStartsAndTheQueueShowsInTheStats() throws Exception {
    reactor().suggestThreadPoolSize(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    boolean[] ranLate = {false};
    Deferred<String> queued =
        background()
            .call(
                () -> {
                  reactor()
                      .deferToThread(
                          () -> {
                            blocking.countDown();
                            return release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                          });
                  return reactor()
                      .deferToThread(
                          () -> {
                            ranLate[0] = true;
                            return "ran";
                          });
                });
    assertThat(blocking.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(reactor().stats().queuedWork()).isEqualTo(1);
    assertThat(reactor().stats().busyWorkers()).isEqualTo(1);
    CompletableFuture<Object> seen = background().call(() -> outcome(queued));
    cancelOnTheReactor(queued);
    assertThat(await(seen)).isInstanceOf(CancelledError.class);
    assertThat(reactor().stats().queuedWork()).as("taken out of the queue").isZero();
    release.countDown();
    assertThat(reactor().blockingCallFromThread(() -> reactor().deferToThread(() -> ranLate[0])))
        .as("the cancelled work never ran")
        .isFalse();
  }

  @Test
  default void cancellingWithInterruptStopsRunningWorkAndItsBlockingCall() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Throwable> workSaw = new CompletableFuture<>();
    CompletableFuture<String> innerCancelled = new CompletableFuture<>();
    Deferred<String> running =
        background()
            .call(
                () ->
                    reactor()
                        .deferToThread(
                            () -> {
                              started.countDown();
                              try {
                                return reactor()
                                    .blockingCallFromThread(
                                        () ->
                                            new Deferred<String>(
                                                self -> innerCancelled.complete("cancelled")));
                              } catch (InterruptedException e) {
                                workSaw.complete(e);
                                throw e;
                              }
                            },
                            ReactorThreads.OnCancel.INTERRUPT));
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Object> seen = background().call(() -> outcome(running));
    cancelOnTheReactor(running);
    assertThat(await(seen)).isInstanceOf(CancelledError.class);
    assertThat(await(workSaw)).isInstanceOf(InterruptedException.class);
    assertThat(await(innerCancelled))
        .as("the Deferred the worker waited for is cancelled too")
        .isEqualTo("cancelled");
  }

  @Test
  default void abandonedWorkRunsOnAndItsResultIsDropped() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> finished = new CompletableFuture<>();
    Deferred<String> abandoned =
        background()
            .call(
                () ->
                    reactor()
                        .deferToThread(
                            () -> {
                              started.countDown();
                              release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                              finished.complete("finished");
                              return "late";
                            }));
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Object> seen = background().call(() -> outcome(abandoned));
    cancelOnTheReactor(abandoned);
    assertThat(await(seen)).isInstanceOf(CancelledError.class);
    release.countDown();
    assertThat(await(finished)).isEqualTo("finished");
    // the late result reaches the reactor and is dropped: the reactor goes on
    assertThat(reactor().blockingCallFromThread(() -> Deferred.succeed("alive")))
        .isEqualTo("alive");
  }

  @Test
  default void blockingCallFromThreadFailsWhenTheReactorStopsFirst() throws Exception {
    BackgroundReactor other = BackgroundReactor.start(newReactor());
    CompletableFuture<Throwable> caller = new CompletableFuture<>();
    CountDownLatch asked = new CountDownLatch(1);
    Thread waiting =
        new Thread(
            () -> {
              try {
                other
                    .reactor()
                    .blockingCallFromThread(
                        () -> {
                          asked.countDown();
                          return new Deferred<String>(); // never fires
                        });
                caller.complete(null);
              } catch (Throwable e) {
                caller.complete(e);
              }
            });
    waiting.start();
    assertThat(asked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    other.close();
    assertThat(await(caller)).isInstanceOf(CancelledError.class);
  }

  @Test
  default void workRunsOnAnExecutorOfTheUsersWhenGivenOne() throws Exception {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(task -> new Thread(task, "users-executor"));
    try (BackgroundReactor other =
        BackgroundReactor.start(
            newReactor(ReactorOptions.builder().workerExecutor(executor).build()))) {
      assertThat(other.reactor().report().details())
          .anyMatch(line -> line.startsWith("workers: ") && line.contains("workerExecutor"));
      String thread =
          other
              .reactor()
              .blockingCallFromThread(
                  () -> other.reactor().deferToThread(() -> Thread.currentThread().getName()));
      assertThat(thread).isEqualTo("users-executor");
    } finally {
      executor.shutdownNow();
    }
  }
}
