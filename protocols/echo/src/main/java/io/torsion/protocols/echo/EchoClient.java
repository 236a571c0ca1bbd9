package io.torsion.protocols.echo;

import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The client side of echo: sends messages and hands back each echo through a {@link Deferred}.
 * Messages may be sent back to back; replies are matched to them in order, by length.
 *
 * <pre>{@code
 * reactor.connectTCP("127.0.0.1", 8000, Factory.of(EchoClient::new))
 *     .addCallbackDeferred(client -> client.send("hello"))
 *     .addCallback(reply -> { log.log(Level.INFO, reply); return null; });
 * }</pre>
 *
 * <p>Called on the reactor thread. If the connection ends first, every pending reply fails with the
 * reason.
 */
public final class EchoClient extends Protocol {
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private ConnectionClosed closed;

  /** Creates a client for one connection. */
  public EchoClient() {}

  /** Sends {@code message}; the Deferred fires with the same number of bytes echoed back. */
  public Deferred<byte[]> send(byte[] message) {
    Deferred<byte[]> reply = new Deferred<>();
    if (closed != null) {
      reply.errback(closed);
      return reply;
    }
    pending.add(new Pending(message.length, reply));
    transport().write(message);
    completeReplies();
    return reply;
  }

  /** Sends {@code text} as UTF-8; the Deferred fires with the echoed text. */
  public Deferred<String> send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8))
        .addCallback(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /** Returns how many replies are still awaited. */
  public int pendingReplies() {
    return pending.size();
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    received.writeBytes(bytes);
    completeReplies();
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    closed = reason;
    Pending next;
    while ((next = pending.poll()) != null) {
      next.reply.errback(reason);
    }
  }

  private void completeReplies() {
    while (!pending.isEmpty() && received.size() >= pending.peek().length) {
      Pending next = pending.poll();
      byte[] all = received.toByteArray();
      received.reset();
      received.write(all, next.length, all.length - next.length);
      next.reply.callback(Arrays.copyOf(all, next.length));
    }
  }

  private record Pending(int length, Deferred<byte[]> reply) {}
}
