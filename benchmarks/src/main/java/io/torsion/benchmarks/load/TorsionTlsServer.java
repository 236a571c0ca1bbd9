package io.torsion.benchmarks.load;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.tls.Identity;
import io.torsion.tls.TlsServerOptions;
import java.nio.file.Path;

/**
 * Torsion's side of the TLS load tests: echo or {@code GET /plaintext} over TLS on one reactor
 * thread, on the TLS engine named ({@code jdk} or {@code openssl}).
 *
 * <pre>java -cp benchmarks.jar io.torsion.benchmarks.load.TorsionTlsServer echo|plaintext PORT
 * TRANSPORT ENGINE CERT KEY</pre>
 */
public final class TorsionTlsServer {
  private TorsionTlsServer() {}

  /** Serves as the arguments say. */
  public static void main(String[] args) throws Exception {
    boolean echo = args[0].equals("echo");
    int port = Integer.parseInt(args[1]);
    Reactor reactor = Reactor.create(ReactorOptions.builder().transport(args[2]).build());
    TlsServerOptions.Builder tls =
        TlsServerOptions.builder(Identity.fromPem(Path.of(args[4]), Path.of(args[5])))
            .engine(args[3]);
    Factory<?> factory;
    if (echo) {
      factory = Factory.of(Echo::new);
    } else {
      tls.applicationProtocols("http/1.1");
      factory =
          HttpServer.create(
              reactor,
              Router.builder()
                  .get(
                      "/plaintext",
                      (request, params) ->
                          Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
                  .build());
    }
    TlsServerOptions options = tls.build();
    reactor.listenSSL(port, "127.0.0.1", factory, options);
    System.out.println(
        "torsion-tls-"
            + args[0]
            + ": "
            + reactor.report().summary()
            + " tls="
            + options.engine()
            + " 127.0.0.1:"
            + port);
    reactor.run();
  }
}
