package io.torsion.examples;

import io.torsion.Deferred;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The demo's shared state: a small key-value board that HTTP clients read and write and line and
 * WebSocket clients watch; in this process ({@link LocalBoard}) or in Redis ({@link RedisBoard},
 * shared by every demo process that uses the same Redis). Used on the reactor thread only. Bounded:
 * at most {@value #MAX_KEYS} keys of at most {@value #MAX_VALUE} characters.
 */
interface Board {
  int MAX_KEYS = 1000;
  int MAX_VALUE = 1000;

  /** Fires with the value of {@code key}, or null. */
  Deferred<String> get(String key);

  /** Fires with every entry, by key. */
  Deferred<Map<String, String>> entries();

  /**
   * Sets {@code key} to {@code value}, and every watcher (of every process sharing the board) hears
   * of it. Fails with {@link IllegalArgumentException} if the key or value is malformed or the
   * board is full.
   */
  Deferred<Void> set(String key, String value);

  /** Calls {@code watcher} with every change from now on. */
  void watch(BiConsumer<String, String> watcher);

  /** Stops calling {@code watcher}. */
  void unwatch(BiConsumer<String, String> watcher);

  /** Throws {@link IllegalArgumentException} unless {@code key} and {@code value} may be set. */
  static void check(String key, String value) {
    if (!key.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("keys are 1-64 letters, digits, '.', '_' or '-': " + key);
    }
    if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(
          "values are one line of at most " + MAX_VALUE + " characters");
    }
  }

  /** Returns the message of a failed {@link #set} for its client. */
  static String why(Throwable failed) {
    return failed instanceof IllegalArgumentException
        ? failed.getMessage()
        : "the board is unavailable: " + failed.getMessage();
  }
}
