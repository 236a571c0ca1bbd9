package io.torsion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferredCoordinationTest {
  @Test
  void deferredListWaitsForAllAndKeepsTheOrder() {
    Deferred<String> a = new Deferred<>();
    Deferred<String> b = new Deferred<>();
    List<List<DeferredList.Outcome<String>>> seen = new ArrayList<>();
    DeferredList.of(List.of(a, b)).addCallback(seen::add);
    b.callback("b");
    assertThat(seen).isEmpty();
    a.callback("a");
    assertThat(seen)
        .singleElement()
        .satisfies(
            outcomes -> {
              assertThat(outcomes)
                  .extracting(DeferredList.Outcome::value)
                  .containsExactly("a", "b");
              assertThat(outcomes).allMatch(DeferredList.Outcome::success);
            });
  }

  @Test
  void fireOnOneErrbackFailsWithTheFirstErrorAndItsIndex() {
    Deferred<String> a = new Deferred<>();
    Deferred<String> b = new Deferred<>();
    List<Throwable> seen = new ArrayList<>();
    DeferredList.of(
            List.of(a, b), DeferredList.Flag.FIRE_ON_ONE_ERRBACK, DeferredList.Flag.CONSUME_ERRORS)
        .addErrback(
            f -> {
              seen.add(f.value());
              return null;
            });
    b.errback(new IOException("b broke"));
    assertThat(seen)
        .singleElement()
        .isInstanceOfSatisfying(
            DeferredList.FirstError.class,
            error -> {
              assertThat(error.index()).isEqualTo(1);
              assertThat(error.failure().value()).hasMessage("b broke");
            });
  }

  @Test
  void consumeErrorsTakesEveryFailureOverAndWithoutItTheyStayOnTheirDeferreds() {
    Deferred<String> consumed = new Deferred<>();
    DeferredList.of(List.of(consumed), DeferredList.Flag.CONSUME_ERRORS);
    consumed.errback(new IOException("handled by the list"));
    assertThat(consumed.toString()).isEqualTo("Deferred[fired with null]");

    Deferred<String> kept = new Deferred<>();
    DeferredList.of(List.of(kept));
    kept.errback(new IOException("still here"));
    assertThat(kept.toString()).contains("Failure[java.io.IOException: still here]");
  }

  @Test
  void gatherResultsGivesTheValuesOrTheFirstError() {
    List<List<Integer>> values = new ArrayList<>();
    DeferredList.gatherResults(List.of(Deferred.succeed(1), Deferred.succeed(2)))
        .addCallback(values::add);
    assertThat(values).containsExactly(List.of(1, 2));
    List<Throwable> errors = new ArrayList<>();
    DeferredList.gatherResults(
            List.of(Deferred.succeed(1), Deferred.<Integer>fail(new IOException("x"))))
        .addErrback(
            f -> {
              errors.add(f.value());
              return null;
            });
    assertThat(errors).singleElement().isInstanceOf(DeferredList.FirstError.class);
    List<List<Integer>> empty = new ArrayList<>();
    DeferredList.<Integer>gatherResults(List.of()).addCallback(empty::add);
    assertThat(empty).containsExactly(List.of());
  }

  @Test
  void aSemaphoreLimitsConcurrencyAndServesWaitersInOrder() {
    DeferredSemaphore semaphore = new DeferredSemaphore(2);
    List<Deferred<String>> tasks = new ArrayList<>();
    List<String> started = new ArrayList<>();
    List<Object> finished = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      semaphore
          .run(
              () -> {
                started.add("task " + n);
                Deferred<String> task = new Deferred<>();
                tasks.add(task);
                return task;
              })
          .addCallback(finished::add);
    }
    assertThat(started).containsExactly("task 0", "task 1");
    assertThat(semaphore.waiting()).isEqualTo(2);
    tasks.get(1).callback("one");
    assertThat(started).containsExactly("task 0", "task 1", "task 2");
    tasks.get(0).errback(new IOException("zero failed")); // a failure releases too
    assertThat(started).hasSize(4);
    tasks.get(2).callback("two");
    tasks.get(3).callback("three");
    assertThat(finished).containsExactly("one", "two", "three");
    assertThat(semaphore.tokens()).isEqualTo(2);
    assertThatThrownBy(semaphore::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acquire");
  }

  @Test
  void aLockIsASemaphoreOfOneAndCancellingAWaiterLeavesTheQueue() {
    DeferredLock lock = new DeferredLock();
    List<String> order = new ArrayList<>();
    lock.acquire().addCallback(l -> order.add("first"));
    assertThat(lock.locked()).isTrue();
    Deferred<DeferredSemaphore> second = lock.acquire();
    second.addCallbacks(l -> order.add("second"), f -> order.add("second gave up"));
    lock.acquire().addCallback(l -> order.add("third"));
    second.cancel();
    lock.release();
    assertThat(order).containsExactly("first", "second gave up", "third");
  }

  @Test
  void aQueueHandsItemsToWaitersAndIsBoundedBothWays() {
    DeferredQueue<String> queue = new DeferredQueue<>(2, 1);
    List<String> got = new ArrayList<>();
    queue.get().addCallback(got::add);
    assertThatThrownBy(queue::get)
        .isInstanceOf(DeferredQueue.Underflow.class)
        .hasMessageContaining("backlog of 1");
    queue.put("a");
    assertThat(got).containsExactly("a");
    queue.put("b");
    queue.put("c");
    assertThatThrownBy(() -> queue.put("d"))
        .isInstanceOf(DeferredQueue.Overflow.class)
        .hasMessageContaining("2 items");
    queue.get().addCallback(got::add);
    assertThat(got).containsExactly("a", "b");
  }
}
