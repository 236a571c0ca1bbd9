package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.protocols.redis.RedisClient;
import io.torsion.protocols.redis.RedisError;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The board in Redis, shared by every demo process that uses the same server: the entries are the
 * hash {@value #KEY}; a set writes it and publishes {@code key=value} on the channel {@value
 * #CHANNEL} in one script (so the bound on the number of keys holds across processes), and every
 * process's watchers hear of changes from that channel, its own included.
 */
final class RedisBoard implements Board {
  static final String KEY = "torsion:board";
  static final String CHANNEL = "torsion:board:changes";

  private static final System.Logger LOG = System.getLogger(RedisBoard.class.getName());
  private static final String SET_SCRIPT =
      "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then "
          + "return redis.error_reply('FULL the board is full (' .. ARGV[3] .. ' keys)') end "
          + "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
          + "redis.call('PUBLISH', ARGV[4], ARGV[1] .. '=' .. ARGV[2]) "
          + "return 1";

  private final RedisClient redis;
  private final List<BiConsumer<String, String>> watchers = new ArrayList<>();

  private RedisBoard(RedisClient redis) {
    this.redis = redis;
  }

  /**
   * Returns the board in {@code redis}, usable at once: commands wait for the connection, and the
   * change channel is subscribed as soon as there is one (and again after every reconnection).
   */
  static RedisBoard open(RedisClient redis) {
    RedisBoard board = new RedisBoard(redis);
    board.subscribe();
    return board;
  }

  private void subscribe() {
    redis
        .subscribe(CHANNEL, this::changed)
        .addErrback(
            failure -> {
              // Not confirmed in time (Redis is down): the client resubscribes once it is back,
              // but this listener was withdrawn; ask again.
              LOG.log(Level.WARNING, "board changes: " + failure.message() + "; trying again");
              subscribe();
              return null;
            });
  }

  /** Returns true while the connection to Redis is up. */
  boolean available() {
    return redis.connected();
  }

  private void changed(String message) {
    int eq = message.indexOf('=');
    if (eq <= 0) {
      LOG.log(Level.WARNING, "a malformed board change on " + CHANNEL + ": " + message);
      return;
    }
    String key = message.substring(0, eq);
    String value = message.substring(eq + 1);
    for (BiConsumer<String, String> watcher : List.copyOf(watchers)) {
      watcher.accept(key, value);
    }
  }

  @Override
  public Deferred<String> get(String key) {
    return redis.command("HGET", KEY, key).addCallback(value -> (String) value);
  }

  @Override
  public Deferred<Map<String, String>> entries() {
    return redis
        .command("HGETALL", KEY)
        .addCallback(
            reply -> {
              Map<String, String> entries = new TreeMap<>();
              if (reply instanceof List<?> flat) { // RESP2: field, value, field, value...
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                  entries.put((String) flat.get(i), (String) flat.get(i + 1));
                }
              } else if (reply instanceof Map<?, ?> map) { // RESP3
                map.forEach((k, v) -> entries.put((String) k, (String) v));
              }
              return entries;
            });
  }

  @Override
  public Deferred<Void> set(String key, String value) {
    try {
      Board.check(key, value);
    } catch (IllegalArgumentException e) {
      return Deferred.fail(e);
    }
    return redis
        .command("EVAL", SET_SCRIPT, 1, KEY, key, value, MAX_KEYS, CHANNEL)
        .addCallback(done -> (Void) null)
        .addErrbackDeferred(
            failure ->
                Deferred.fail(
                    failure.value() instanceof RedisError error && error.kind().equals("FULL")
                        ? new IllegalArgumentException(error.getMessage().substring(5))
                        : failure.value()));
  }

  @Override
  public void watch(BiConsumer<String, String> watcher) {
    watchers.add(watcher);
  }

  @Override
  public void unwatch(BiConsumer<String, String> watcher) {
    watchers.remove(watcher);
  }
}
