package io.torsion.protocols.policies;

import io.torsion.ReactorTime;

/**
 * Bytes allowed per second, with a burst of one second's worth: taking more than is there puts the
 * bucket in debt, and {@link #nanosUntilClear()} tells when refilling pays it off.
 */
final class TokenBucket {
  private final ReactorTime time;
  private final long rate;
  private double tokens;
  private long refilled;

  TokenBucket(ReactorTime time, long bytesPerSecond) {
    this.time = time;
    this.rate = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.refilled = time.nanoTime();
  }

  /** Takes {@code bytes}; the bucket may go into debt. */
  void take(long bytes) {
    refill();
    tokens -= bytes;
  }

  /** Returns 0 if not in debt, else the nanoseconds until it is paid off. */
  long nanosUntilClear() {
    refill();
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / rate);
  }

  private void refill() {
    long now = time.nanoTime();
    tokens = Math.min(rate, tokens + (now - refilled) * (rate / 1e9));
    refilled = now;
  }
}
