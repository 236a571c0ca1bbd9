package io.torsion.examples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The demo's shared state: a small key-value board that HTTP clients read and write and line
 * clients watch. Used on the reactor thread only (every protocol on it runs there), so it needs no
 * locks. Bounded: at most {@value #MAX_KEYS} keys of {@value #MAX_VALUE} characters.
 */
final class Board {
  static final int MAX_KEYS = 1000;
  static final int MAX_VALUE = 1000;

  private final Map<String, String> entries = new TreeMap<>();
  private final List<BiConsumer<String, String>> watchers = new ArrayList<>();

  /** Returns the value of {@code key}, or null. */
  String get(String key) {
    return entries.get(key);
  }

  /** Returns every entry, by key. */
  Map<String, String> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /**
   * Sets {@code key} to {@code value} and tells every watcher.
   *
   * @throws IllegalArgumentException if the key or value is malformed or the board is full
   */
  void set(String key, String value) {
    if (!key.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("keys are 1-64 letters, digits, '.', '_' or '-': " + key);
    }
    if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(
          "values are one line of at most " + MAX_VALUE + " characters");
    }
    if (!entries.containsKey(key) && entries.size() >= MAX_KEYS) {
      throw new IllegalArgumentException("the board is full (" + MAX_KEYS + " keys)");
    }
    entries.put(key, value);
    for (BiConsumer<String, String> watcher : List.copyOf(watchers)) {
      watcher.accept(key, value);
    }
  }

  /** Calls {@code watcher} with every change from now on. */
  void watch(BiConsumer<String, String> watcher) {
    watchers.add(watcher);
  }

  /** Stops calling {@code watcher}. */
  void unwatch(BiConsumer<String, String> watcher) {
    watchers.remove(watcher);
  }
}
