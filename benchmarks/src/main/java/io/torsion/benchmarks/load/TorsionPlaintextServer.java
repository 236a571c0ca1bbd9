package io.torsion.benchmarks.load;

import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;

/**
 * Torsion's side of the plaintext load test: {@code GET /plaintext} through {@link HttpServer} and
 * a {@link Router}, on one reactor thread.
 *
 * <pre>java -cp benchmarks.jar io.torsion.benchmarks.load.TorsionPlaintextServer PORT epoll|nio
 * </pre>
 */
public final class TorsionPlaintextServer {
  private TorsionPlaintextServer() {}

  /** Serves {@code GET /plaintext} on the port given, on the transport given. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String transport = args.length < 2 ? "epoll" : args[1];
    Reactor reactor = Reactor.create(ReactorOptions.builder().transport(transport).build());
    Router router =
        Router.builder()
            .get(
                "/plaintext",
                (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
            .build();
    reactor.listenTCP(port, "127.0.0.1", HttpServer.create(reactor, router));
    System.out.println("torsion-plaintext: " + reactor.report().summary() + " 127.0.0.1:" + port);
    reactor.run();
  }
}
