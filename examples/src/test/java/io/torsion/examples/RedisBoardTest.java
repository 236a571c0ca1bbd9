package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.DeferredList;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.protocols.redis.RedisClient;
import io.torsion.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The board in a real Redis: its bound holds across processes, and watchers hear every change. */
@Timeout(60)
class RedisBoardTest {
  private static <T> T await(BackgroundReactor background, Supplier<Deferred<T>> call)
      throws Exception {
    try {
      return background.call(() -> call.get().toCompletableFuture()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void theBoundOfKeysHoldsInRedisAndWatchersHearChanges() throws Exception {
    String missing = RedisServer.requirePresent();
    assumeTrue(missing == null, missing);
    try (RedisServer redis = RedisServer.start();
        BackgroundReactor background =
            BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      Reactor reactor = background.reactor();
      RedisBoard board =
          background.call(() -> RedisBoard.open(RedisClient.create(reactor, redis.uri())));
      // Two boards on one Redis, as two demo processes have: a change through one is heard by both.
      RedisBoard other =
          background.call(() -> RedisBoard.open(RedisClient.create(reactor, redis.uri())));
      LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
      background.call(
          () -> {
            other.watch((key, value) -> heard.add(key + "=" + value));
            return null;
          });
      // The watcher's subscription is confirmed asynchronously: set until it hears one.
      String first = null;
      for (int i = 0; i < 200 && first == null; i++) {
        await(background, () -> board.set("probe", "p"));
        first = heard.poll(50, TimeUnit.MILLISECONDS);
      }
      assertThat(first).isEqualTo("probe=p");
      heard.clear();

      await(
          background,
          () -> {
            List<Deferred<Void>> sets = new ArrayList<>();
            for (int i = 1; i < Board.MAX_KEYS; i++) { // "probe" is one of the 1,000
              sets.add(board.set("k" + i, "v" + i));
            }
            return DeferredList.gatherResults(sets);
          });
      assertThatThrownBy(() -> await(background, () -> other.set("one-more", "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the board is full (" + Board.MAX_KEYS + " keys)");
      await(background, () -> other.set("k1", "changed")); // an existing key may change
      assertThat(await(background, () -> board.get("k1"))).isEqualTo("changed");
      Map<String, String> all = await(background, board::entries);
      assertThat(all).hasSize(Board.MAX_KEYS).containsEntry("k999", "v999");
      assertThatThrownBy(() -> await(background, () -> board.set("bad key", "x")))
          .isInstanceOf(IllegalArgumentException.class);
      String change = null;
      while (!"k1=changed".equals(change)) {
        change = heard.poll(10, TimeUnit.SECONDS);
        assertThat(change).as("the watcher hears every change, the last one too").isNotNull();
      }
    }
  }
}
