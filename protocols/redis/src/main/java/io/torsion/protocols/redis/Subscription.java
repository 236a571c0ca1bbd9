package io.torsion.protocols.redis;

import io.torsion.Deferred;

/**
 * A listener subscribed with {@link RedisClient#subscribe} or {@link RedisClient#psubscribe}. It
 * stays subscribed across reconnections (messages published while the connection was down are lost:
 * Redis's pub/sub delivers at most once) until {@link #unsubscribe()}.
 */
public interface Subscription {
  /** Returns the channel, or for {@code psubscribe} the pattern. */
  String channel();

  /**
   * Stops calling the listener at once; the server is told when no listener of the channel is left.
   * The Deferred fires once that is sent (at once if it need not be).
   */
  Deferred<Void> unsubscribe();
}
