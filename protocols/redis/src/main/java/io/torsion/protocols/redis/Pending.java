package io.torsion.protocols.redis;

import io.torsion.Deferred;
import io.torsion.DelayedCall;
import java.nio.ByteBuffer;

/**
 * One command: its bytes, the Deferred its reply fires, and its timer. Completed once, by the first
 * of: its reply, its timeout, its connection's loss, a cancel.
 */
final class Pending {
  final ByteBuffer bytes;
  final Deferred<Object> result;
  final boolean raw; // bulk strings stay byte[]
  final String name; // the command's name, for messages
  DelayedCall timer;
  boolean sent;
  private boolean done;

  Pending(ByteBuffer bytes, String name, boolean raw) {
    this.bytes = bytes;
    this.name = name;
    this.raw = raw;
    this.result = new Deferred<>(cancelled -> done = true);
  }

  boolean done() {
    return done;
  }

  /** The reply came: an error reply fails the command, anything else fires it. */
  void reply(Object value) {
    if (finish()) {
      if (value instanceof RedisError error) {
        result.errback(error);
      } else {
        result.callback(raw ? value : Resp.text(value));
      }
    }
  }

  void fail(Throwable error) {
    if (finish()) {
      result.errback(error);
    }
  }

  private boolean finish() {
    if (timer != null && timer.active()) {
      timer.cancel();
    }
    if (done) {
      return false;
    }
    done = true;
    return true;
  }
}
