package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.DeferredList;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.echo.EchoClient;
import java.io.IOException;
import java.util.List;

/**
 * An echo client driven by Deferreds: connect, send three messages back to back, gather the
 * replies, print them, stop. It starts its own echo server on a free port first, so it runs alone.
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

  /** Runs the example. */
  public static void main(String[] args) throws IOException {
    Reactor reactor = Reactor.create();
    int port = reactor.listenTCP(0, "127.0.0.1", Factory.of(Echo::new)).port();
    ask(reactor, port, List.of("one", "two", "three"))
        .addCallbacks(
            replies -> {
              System.out.println("replies: " + replies);
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
