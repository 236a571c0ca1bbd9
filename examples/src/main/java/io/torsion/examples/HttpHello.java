package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import java.io.IOException;

/** Hello over HTTP, with a path parameter. Try {@code curl 127.0.0.1:8080/hello/you}. */
public final class HttpHello {
  private HttpHello() {}

  /** Returns the routes. */
  static Router router() {
    return Router.builder()
        .get(
            "/hello/{name}",
            (request, params) ->
                Deferred.succeed(HttpResponse.text(200, "Hello, " + params.get("name") + "!\n")))
        .build();
  }

  /** Serves on 127.0.0.1, port {@code args[0]} (8080 by default). */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Reactor reactor = Reactor.create();
    reactor.listenTCP(port, "127.0.0.1", HttpServer.create(reactor, router()));
    System.out.println("http://127.0.0.1:" + port + "/hello/you");
    reactor.run();
  }
}
