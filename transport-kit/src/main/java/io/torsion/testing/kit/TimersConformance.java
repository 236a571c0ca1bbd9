package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.WAIT_SECONDS;
import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.DelayedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The conformance kit's tests of timed calls and callFromThread. */
public interface TimersConformance extends KitContext {

  @Test
  default void callLaterRunsInDueOrderAndSameTimeCallsInScheduleOrder() {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    background()
        .execute(
            () -> {
              reactor().callLater(Duration.ofMillis(30), () -> order.add("late"));
              reactor().callLater(Duration.ofMillis(10), () -> order.add("a"));
              reactor().callLater(Duration.ofMillis(10), () -> order.add("b"));
              reactor().callLater(Duration.ofMillis(10), () -> order.add("c"));
              reactor().callLater(Duration.ZERO, () -> order.add("now"));
              reactor().callLater(Duration.ofMillis(40), () -> done.complete(null));
            });
    await(done);
    assertThat(order).containsExactly("now", "a", "b", "c", "late");
  }

  @Test
  default void cancelledCallsNeverRunAndResetCallsMove() {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    background()
        .execute(
            () -> {
              DelayedCall cancelled =
                  reactor().callLater(Duration.ofMillis(5), () -> order.add("cancelled"));
              DelayedCall moved =
                  reactor().callLater(Duration.ofMillis(5), () -> order.add("moved"));
              reactor().callLater(Duration.ofMillis(20), () -> order.add("fixed"));
              cancelled.cancel();
              moved.reset(Duration.ofMillis(40));
              assertThat(cancelled.active()).isFalse();
              assertThat(moved.active()).isTrue();
              assertThatThrownBy(cancelled::cancel).isInstanceOf(IllegalStateException.class);
              reactor().callLater(Duration.ofMillis(60), () -> done.complete(null));
            });
    await(done);
    assertThat(order).containsExactly("fixed", "moved");
  }

  @Test
  default void callFromThreadRunsEveryTaskOnTheReactorThreadInSubmissionOrder() throws Exception {
    int threads = 8;
    int perThread = 2000;
    List<List<Integer>> seen = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      seen.add(new ArrayList<>());
    }
    AtomicInteger offThread = new AtomicInteger();
    CountDownLatch all = new CountDownLatch(threads * perThread);
    Thread reactorThread = background().thread();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread submitter =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  int n = i;
                  reactor()
                      .callFromThread(
                          () -> {
                            if (Thread.currentThread() != reactorThread) {
                              offThread.incrementAndGet();
                            }
                            seen.get(id)
                                .add(n); // unsynchronised on purpose: only the reactor thread
                            // touches it
                            all.countDown();
                          });
                }
              });
      submitters.add(submitter);
      submitter.start();
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    assertThat(all.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(offThread.get()).isZero();
    for (List<Integer> perSubmitter : background().call(() -> seen)) {
      assertThat(perSubmitter).isSorted().hasSize(perThread);
    }
  }
}
