package io.torsion.protocols.redis;

/**
 * An error reply from the Redis server ({@code -ERR unknown command}, {@code -WRONGTYPE ...},
 * {@code -NOAUTH ...}): the command's Deferred fails with it, and inside a reply that holds several
 * (the results of {@code EXEC}) it is the element's value. The connection goes on.
 */
public final class RedisError extends Exception {
  private static final long serialVersionUID = 1L;

  private final String kind;

  private RedisError(String kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** Returns the error for the reply text {@code text} ("WRONGTYPE Operation against ..."). */
  static RedisError of(String text) {
    int space = text.indexOf(' ');
    String kind = space < 0 ? text : text.substring(0, space);
    boolean named = !kind.isEmpty() && kind.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    return new RedisError(named ? kind : "ERR", text);
  }

  /**
   * Returns the error's kind, the reply's first word when it is in capitals ({@code ERR}, {@code
   * WRONGTYPE}, {@code NOAUTH}, {@code NOSCRIPT}, {@code BUSY}, ...), otherwise {@code ERR}.
   */
  public String kind() {
    return kind;
  }
}
