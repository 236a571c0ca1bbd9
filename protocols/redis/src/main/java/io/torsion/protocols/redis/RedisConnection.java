package io.torsion.protocols.redis;

import io.torsion.ConnectionClosed;
import io.torsion.Protocol;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One connection to the server: writes commands as they come (pipelined), reads replies and matches
 * them in order to the commands waiting for them; pushes (RESP3's {@code >}, and on a subscriber
 * connection every reply once it is set up) go to its {@link Link}. Bytes that are not RESP drop
 * the connection.
 */
final class RedisConnection extends Protocol implements RespParser.Replies {
  private final Link link;
  private final RespParser parser;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private boolean ready; // the handshake is done
  private RedisConnectionError broken;

  RedisConnection(Link link, RedisOptions options) {
    this.link = link;
    this.parser = new RespParser(this, options.maxBulkBytes(), options.maxElements());
  }

  @Override
  public void connectionMade() {
    link.connected(this);
  }

  /** Sends {@code pending} and waits for its reply. */
  void send(Pending pending) {
    pending.sent = true;
    waiting.add(pending);
    transport().write(pending.bytes.duplicate());
  }

  /** Sends a command that has no reply of its own (a subscriber's, answered by pushes). */
  void write(ByteBuffer command) {
    transport().write(command);
  }

  /** The handshake is done: from now on a subscriber connection hands every reply on. */
  void ready() {
    ready = true;
  }

  /** Drops the connection: the commands waiting on it fail with {@code why}. */
  void drop(RedisConnectionError why) {
    if (broken == null) {
      broken = why;
    }
    if (connected() && !transport().disconnecting()) {
      transport().abortConnection();
    }
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (broken != null) {
      return;
    }
    try {
      parser.feed(data);
    } catch (RedisProtocolError e) {
      drop(e);
    }
  }

  @Override
  public void reply(Object value, boolean push) {
    if (broken != null) {
      return;
    }
    if (push || (ready && link.subscriber())) {
      link.pushed(value);
      return;
    }
    Pending pending = waiting.poll();
    if (pending == null) {
      drop(new RedisProtocolError("a reply to no command: " + Resp.text(value)));
      return;
    }
    pending.reply(value);
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    RedisConnectionError why =
        broken != null
            ? broken
            : new RedisConnectionError(
                "the connection to " + link.target() + " was lost: " + reason.getMessage(), reason);
    for (Pending pending; (pending = waiting.poll()) != null; ) {
      pending.fail(
          why instanceof RedisProtocolError
              ? why // the server is at fault; what it did with the command is unknown either way
              : new RedisConnectionError(
                  why.getMessage() + " (" + pending.name + " was sent: it may or may not have run)",
                  why));
    }
    link.lost(this, why);
  }
}
