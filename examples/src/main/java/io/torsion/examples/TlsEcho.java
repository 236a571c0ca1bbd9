package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.line.LineReceiver;
import io.torsion.tls.Identity;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsServerOptions;
import io.torsion.tls.TrustRoots;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS, the recipes of the guide's TLS page: an echo server with SNI, ALPN and reloading
 * certificates, a client that verifies it, mutual TLS, and STARTTLS in a line protocol. Run it with
 * {@code java TlsEcho [PORT]}: it makes a development certificate, serves echo over TLS, and prints
 * the {@code openssl s_client} line that talks to it.
 */
public final class TlsEcho {
  private TlsEcho() {}

  /** Options serving a site's certificate, another for one host name, reloaded when renewed. */
  static TlsServerOptions production(Path certs) throws IOException {
    TlsServerOptions tls =
        TlsServerOptions.builder(
                Identity.fromPem(certs.resolve("fullchain.pem"), certs.resolve("privkey.pem")))
            .serverName(
                "api.example.com",
                Identity.fromPem(certs.resolve("api-chain.pem"), certs.resolve("api-key.pem")))
            .applicationProtocols("http/1.1")
            .watchFiles(Duration.ofMinutes(1))
            .build();
    return tls;
  }

  /** Options requiring client certificates signed by the organisation's own authority. */
  static TlsServerOptions mutual(Identity site, Path clientCa) throws IOException {
    TlsServerOptions tls =
        TlsServerOptions.builder(site)
            .clientAuth(TlsServerOptions.ClientAuth.REQUIRE, TrustRoots.fromPem(clientCa))
            .build();
    return tls;
  }

  /** A protocol that greets the client by the name on its certificate (with mutual TLS). */
  static final class Greeter extends Protocol {
    @Override
    public void connectionMade() {
      TlsInfo tls = transport().tls();
      String who = tls.peerCertificates().get(0).getSubjectX500Principal().getName();
      transport().write("hello " + who + ", over " + tls.protocol() + "\n");
      transport().loseConnection();
    }
  }

  /** A line protocol whose {@code STARTTLS} command turns the rest of the session into TLS. */
  static final class Upgradable extends LineReceiver {
    private final TlsServerOptions tls;

    Upgradable(TlsServerOptions tls) {
      this.tls = tls;
    }

    @Override
    public void lineReceived(String line) {
      if (line.equals("STARTTLS")) {
        sendLine("OK begin TLS");
        transport().startTLS(tls, clearLineBuffer()); // the client's first TLS bytes may be here
      } else {
        sendLine(line);
      }
    }
  }

  /** Connects to a TLS server, verifying its certificate and name; fires with the session. */
  static Deferred<TlsInfo> check(Reactor reactor, String host, int port, TrustRoots trust) {
    TlsClientOptions tls = TlsClientOptions.builder().trust(trust).build();
    return reactor
        .connectSSL(host, port, Factory.of(() -> new Protocol() {}), tls)
        .addCallback(
            protocol -> {
              TlsInfo session = protocol.transport().tls();
              protocol.transport().loseConnection();
              return session;
            });
  }

  /** Serves echo over TLS on 127.0.0.1, port {@code args[0]} (8443 by default). */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
    SelfSignedCertificate dev = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    Path dir = java.nio.file.Files.createTempDirectory("tls-echo");
    dev.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Reactor reactor = Reactor.create();
    ListeningPort listening =
        reactor.listenSSL(
            port, "127.0.0.1", Factory.of(Echo::new), TlsServerOptions.of(dev.identity()));
    System.out.println(
        "openssl s_client -connect 127.0.0.1:"
            + listening.port()
            + " -CAfile "
            + dir.resolve("cert.pem"));
    reactor.run();
  }
}
