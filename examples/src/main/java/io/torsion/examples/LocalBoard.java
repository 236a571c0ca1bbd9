package io.torsion.examples;

import io.torsion.Deferred;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** The board in this process's memory: every answer is ready at once. No locks: one thread. */
final class LocalBoard implements Board {
  private final Map<String, String> entries = new TreeMap<>();
  private final List<BiConsumer<String, String>> watchers = new ArrayList<>();

  @Override
  public Deferred<String> get(String key) {
    return Deferred.succeed(entries.get(key));
  }

  @Override
  public Deferred<Map<String, String>> entries() {
    return Deferred.succeed(Collections.unmodifiableMap(new TreeMap<>(entries)));
  }

  @Override
  public Deferred<Void> set(String key, String value) {
    try {
      Board.check(key, value);
      if (!entries.containsKey(key) && entries.size() >= MAX_KEYS) {
        throw new IllegalArgumentException("the board is full (" + MAX_KEYS + " keys)");
      }
    } catch (IllegalArgumentException e) {
      return Deferred.fail(e);
    }
    entries.put(key, value);
    for (BiConsumer<String, String> watcher : List.copyOf(watchers)) {
      watcher.accept(key, value);
    }
    return Deferred.succeed(null);
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
