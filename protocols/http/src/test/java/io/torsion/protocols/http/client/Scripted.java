package io.torsion.protocols.http.client;

import io.torsion.Factory;
import io.torsion.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A test double server that answers each request head it reads with what a script says: the bytes
 * to write (any bytes, malformed on purpose), and whether to close after. Counts connections and
 * records the request heads.
 */
final class Scripted extends Protocol {
  /** One answer: bytes to write (null: write nothing), and what to do after. */
  record Answer(String bytes, boolean close, boolean abort, boolean beforeBody) {
    Answer(String bytes, boolean close, boolean abort) {
      this(bytes, close, abort, false);
    }

    static Answer of(String bytes) {
      return new Answer(bytes, false, false);
    }

    static Answer thenClose(String bytes) {
      return new Answer(bytes, true, false);
    }

    static Answer silence() {
      return new Answer(null, false, false);
    }

    /** Answers as soon as the head has arrived, not waiting for the body (a refused Expect). */
    static Answer atHead(String bytes) {
      return new Answer(bytes, false, false, true);
    }
  }

  /** What every connection of one double shares. */
  static final class Script {
    final IntFunction<Answer> answers; // by request number, counted over all connections
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final List<String> heads = new CopyOnWriteArrayList<>();

    Script(IntFunction<Answer> answers) {
      this.answers = answers;
    }

    Factory<Scripted> factory() {
      return Factory.of(() -> new Scripted(this));
    }
  }

  private final Script script;
  private final StringBuilder pending = new StringBuilder();
  private int skipping; // body bytes still to drop
  private Answer early; // the answer chosen for the head being read

  private Scripted(Script script) {
    this.script = script;
  }

  @Override
  public void connectionMade() {
    script.connections.incrementAndGet();
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    pending.append(StandardCharsets.ISO_8859_1.decode(data));
    while (true) {
      if (skipping > 0) {
        int skipped = Math.min(skipping, pending.length());
        pending.delete(0, skipped);
        skipping -= skipped;
        if (skipping > 0) {
          return;
        }
      }
      int end = pending.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      String head = pending.substring(0, end + 4);
      int length = contentLength(head);
      if (early == null) {
        early = script.answers.apply(script.requests.get());
      }
      if (!early.beforeBody() && pending.length() < end + 4 + length) {
        return; // wait for the body
      }
      pending.delete(0, end + 4);
      skipping = length; // the body, read (or dropped) before the next head
      script.heads.add(head);
      script.requests.incrementAndGet();
      Answer answer = early;
      early = null;
      if (answer.bytes() != null) {
        transport().write(ByteBuffer.wrap(answer.bytes().getBytes(StandardCharsets.ISO_8859_1)));
      }
      if (answer.abort()) {
        transport().abortConnection();
        return;
      }
      if (answer.close()) {
        transport().loseConnection();
        return;
      }
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }
}
