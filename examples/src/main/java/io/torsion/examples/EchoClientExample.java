package io.torsion.examples;

import static io.torsion.Inline.await;

import io.torsion.Deferred;
import io.torsion.DeferredList;
import io.torsion.Factory;
import io.torsion.Inline;
import io.torsion.Reactor;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.echo.EchoClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An echo client driven by Deferreds: connect, send three messages back to back, gather the
 * replies, print them, stop; then the same one message at a time in an inline body. It starts its
 * own echo server on a free port first, so it runs alone.
 */
public final class EchoClientExample {
  private EchoClientExample() {}

  /** Returns the replies to {@code messages}, sent over one connection to {@code port}. */
  static Deferred<List<String>> ask(Reactor reactor, int port, List<String> messages) {
    return reactor
        .connectTCP("127.0.0.1", port, Factory.of(EchoClient::new))
        .addCallbackDeferred(
            client -> {
              Deferred<List<String>> replies =
                  DeferredList.gatherResults(messages.stream().map(client::send).toList());
              return replies.addFinally(() -> client.transport().loseConnection());
            });
  }

  /**
   * The same, one message at a time, written top to bottom as an inline body (Twisted's
   * inlineCallbacks): each {@code await} waits for a reply while the reactor goes on.
   */
  static Deferred<List<String>> askInTurn(Reactor reactor, int port, List<String> messages) {
    return Inline.run(
        reactor,
        () -> {
          EchoClient client =
              await(reactor.connectTCP("127.0.0.1", port, Factory.of(EchoClient::new)));
          try {
            List<String> replies = new ArrayList<>();
            for (String message : messages) {
              replies.add(await(client.send(message))); // the next is sent once this one is back
            }
            return replies;
          } finally {
            client.transport().loseConnection();
          }
        });
  }

  /** Runs the example. */
  public static void main(String[] args) throws IOException {
    Reactor reactor = Reactor.create();
    int port = reactor.listenTCP(0, "127.0.0.1", Factory.of(Echo::new)).port();
    ask(reactor, port, List.of("one", "two", "three"))
        .addCallbackDeferred(
            replies -> {
              System.out.println("replies: " + replies);
              return askInTurn(reactor, port, List.of("four", "five"));
            })
        .addCallbacks(
            replies -> {
              System.out.println("one at a time: " + replies);
              reactor.stop();
              return null;
            },
            failure -> {
              System.out.println("failed: " + failure.message());
              reactor.stop();
              return null;
            });
    reactor.run();
  }
}
