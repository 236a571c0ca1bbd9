package io.torsion.testing.kit;

import io.torsion.ConnectionClosed;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The two ends of the kit's half-close tests: an {@link Asker} writes its question and shuts its
 * output at once; the {@link Answerer} answers when the question's end arrives, then closes.
 */
public final class HalfClose {
  private HalfClose() {}

  /** Answers once the peer's output has ended, then closes. */
  public static final class Answerer extends Protocol implements HalfCloseableProtocol {
    /** Completes with how the connection ended. */
    public final CompletableFuture<ConnectionClosed> lost = new CompletableFuture<>();

    private final StringBuilder question = new StringBuilder();

    /** Creates an answerer; one per connection. */
    public Answerer() {}

    @Override
    public void dataReceived(ByteBuffer data) {
      question.append(StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void readConnectionLost() {
      transport().write("answer to " + question);
      transport().loseConnection();
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      lost.complete(reason);
    }
  }

  /** Writes {@code question}, half-closes, and records the answer and how the connection ended. */
  public static final class Asker extends Protocol {
    /** Completes with how the connection ended. */
    public final CompletableFuture<ConnectionClosed> lost = new CompletableFuture<>();

    /** What arrived. */
    public final StringBuilder answer = new StringBuilder();

    /** Creates an asker; one per connection. */
    public Asker() {}

    @Override
    public void connectionMade() {
      transport().write("question");
      transport().loseWriteConnection();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      answer.append(StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      lost.complete(reason);
    }
  }
}
