package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS against real TLS clients (curl, openssl s_client, Python's ssl, the JDK's HttpClient,
 * Twisted's TLS client) and Torsion's TLS client against Twisted's TLS server; a client that is not
 * installed is skipped, saying so. The server's certificate is self-signed and trusted by file, as
 * a user trusts a development certificate: no client turns verification off.
 */
class HttpsInteropTest {
  private static final SelfSignedCertificate CERTIFICATE =
      SelfSignedCertificate.generate("localhost", "127.0.0.1");
  private static BackgroundReactor background;
  private static int port;
  private static Path certFile;

  @BeforeAll
  static void startServer() throws IOException {
    Path dir = Files.createTempDirectory("torsion-https-interop");
    certFile = dir.resolve("cert.pem");
    CERTIFICATE.writePem(certFile, dir.resolve("key.pem"));
    background = BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()));
    Router router =
        Router.builder()
            .get(
                "/plaintext",
                (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
            .get(
                "/whoami",
                (request, params) -> {
                  TlsInfo tls = request.tls();
                  return Deferred.succeed(
                      HttpResponse.text(
                          200,
                          tls.protocol()
                              + " alpn="
                              + tls.applicationProtocol()
                              + " sni="
                              + tls.serverName()
                              + " secure="
                              + request.isSecure()
                              + " peer-is-loopback="
                              + request.peer().toString().contains("127.0.0.1")));
                })
            .build();
    TlsServerOptions tls =
        TlsServerOptions.builder(CERTIFICATE.identity()).applicationProtocols("http/1.1").build();
    port =
        background.call(
            () ->
                background
                    .reactor()
                    .listenSSL(0, "127.0.0.1", HttpServer.create(background.reactor(), router), tls)
                    .port());
  }

  @AfterAll
  static void stopServer() {
    background.close();
  }

  private static String run(String input, String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      Assumptions.abort(command[0] + " is not installed here: " + notInstalled.getMessage());
      return null;
    }
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + " said: " + output).isZero();
    return output;
  }

  private static void requireTwisted() throws Exception {
    try {
      run("", "/usr/bin/python3", "-c", "import twisted.internet.ssl, OpenSSL");
    } catch (AssertionError missing) {
      Assumptions.abort("Twisted's TLS (python3-twisted, python3-openssl) is not installed");
    }
  }

  @Test
  void curlVerifiesTheCertificateGivenByFileAndAgreesOnHttp11OverAlpn() throws Exception {
    String out =
        run(
            "",
            "curl",
            "-sS",
            "--cacert",
            certFile.toString(),
            "-w",
            " %{http_version} %{ssl_verify_result}",
            "https://localhost:" + port + "/whoami");
    assertThat(out)
        .isEqualTo("TLSv1.3 alpn=http/1.1 sni=localhost secure=true peer-is-loopback=true 1.1 0");
    assertThat(run("", "curl", "-sS", "--cacert", certFile.toString(), url("/plaintext")))
        .isEqualTo("Hello, World!");
  }

  @Test
  void curlSendingPlainHttpToTheHttpsPortIsToldSo() throws Exception {
    String out =
        run("", "curl", "-sS", "-w", " %{http_code}", "http://127.0.0.1:" + port + "/plaintext");
    assertThat(out).contains("this port speaks HTTPS").endsWith(" 400");
  }

  @Test
  void opensslSClientVerifiesAndNegotiatesAlpnOnTls12AndTls13() throws Exception {
    for (String version : new String[] {"-tls1_2", "-tls1_3"}) {
      String out =
          run(
              "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
              "openssl",
              "s_client",
              "-connect",
              "127.0.0.1:" + port,
              "-servername",
              "localhost",
              "-CAfile",
              certFile.toString(),
              "-verify_return_error",
              "-alpn",
              "http/1.1",
              "-ign_eof",
              version);
      assertThat(out)
          .contains("Verify return code: 0 (ok)")
          .contains("ALPN protocol: http/1.1")
          .contains("Hello, World!");
    }
  }

  @Test
  void pythonsSslModuleVerifiesTheServerAndReadsTheAnswer() throws Exception {
    String python =
        """
        import socket, ssl
        ctx = ssl.create_default_context(cafile=%s)
        ctx.set_alpn_protocols(['http/1.1'])
        with ctx.wrap_socket(socket.create_connection(('127.0.0.1', %d)), server_hostname='localhost') as s:
            s.sendall(b'GET /plaintext HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n')
            data = b''
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            print(s.version(), s.selected_alpn_protocol(), data.split(b'\\r\\n')[0].decode(), data.endswith(b'Hello, World!'))
        """
            .formatted(pythonString(certFile.toString()), port);
    assertThat(run("", "python3", "-c", python).trim())
        .isEqualTo("TLSv1.3 http/1.1 HTTP/1.1 200 OK True");
  }

  private static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Test
  void theJdkHttpClientVerifiesTheServerAndKeepsTheConnection() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("server", CERTIFICATE.certificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    HttpClient client =
        HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 3; i++) {
      var response =
          client.send(
              java.net.http.HttpRequest.newBuilder(URI.create(url("/whoami"))).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      // to an IP address: no SNI; an HTTP/1.1-only client offers no ALPN
      assertThat(response.body()).startsWith("TLSv1.3 alpn=null sni=null secure=true");
    }
  }

  @Test
  void twistedsTlsClientVerifiesTheServer() throws Exception {
    requireTwisted();
    String twisted =
        """
        from twisted.internet import reactor, ssl
        from twisted.web.client import Agent, readBody, BrowserLikePolicyForHTTPS
        from twisted.internet.ssl import Certificate, trustRootFromCertificates
        root = trustRootFromCertificates([Certificate.loadPEM(open(%s).read())])
        agent = Agent(reactor, contextFactory=BrowserLikePolicyForHTTPS(trustRoot=root))
        d = agent.request(b'GET', b'https://localhost:%d/plaintext')
        d.addCallback(lambda r: (print(r.code), readBody(r))[1])
        d.addCallback(lambda body: print(body.decode()))
        d.addErrback(lambda f: print('failed', f.getErrorMessage()))
        d.addBoth(lambda _: reactor.stop())
        reactor.callLater(30, reactor.stop)
        reactor.run()
        """
            .formatted(pythonString(certFile.toString()), port);
    assertThat(run("", "/usr/bin/python3", "-W", "ignore", "-c", twisted))
        .isEqualTo("200\nHello, World!\n");
  }

  @Test
  void torsionsTlsClientReachesTwistedsTlsServerAndVerifiesIt() throws Exception {
    requireTwisted();
    Path dir = certFile.getParent();
    String server =
        """
        import sys
        from twisted.internet import reactor, ssl, protocol
        from twisted.protocols.basic import LineReceiver
        class Echo(protocol.Protocol):
            def dataReceived(self, data):
                self.transport.write(b'twisted heard ' + data)
                self.transport.loseConnection()
        cert = ssl.PrivateCertificate.loadPEM(open(%s).read() + open(%s).read())
        port = reactor.listenSSL(0, protocol.Factory.forProtocol(Echo), cert.options(), interface='127.0.0.1')
        print(port.getHost().port, flush=True)
        reactor.callLater(30, reactor.stop)
        reactor.run()
        """
            .formatted(
                pythonString(dir.resolve("key.pem").toString()), pythonString(certFile.toString()));
    Process twisted =
        new ProcessBuilder("/usr/bin/python3", "-W", "ignore", "-c", server)
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(twisted.getInputStream(), StandardCharsets.UTF_8));
      int twistedPort = Integer.parseInt(lines.readLine().trim());
      Asker asker = askTrusting("hello", twistedPort);
      assertThat(asker.heard.get(30, TimeUnit.SECONDS)).isEqualTo("twisted heard hello");
      assertThat(asker.session.get(1, TimeUnit.SECONDS).peerCertificates())
          .containsExactly(CERTIFICATE.certificate());
    } finally {
      twisted.destroy();
    }
  }

  /** Connects to {@code port} on localhost over TLS, trusting the test certificate, and asks. */
  private static Asker askTrusting(String message, int port) {
    Asker asker = new Asker(message);
    background.execute(
        () ->
            background
                .reactor()
                .connectSSL(
                    "localhost",
                    port,
                    Factory.of(() -> asker),
                    TlsClientOptions.builder().trust(CERTIFICATE.trustRoots()).build()));
    return asker;
  }

  @Test
  void torsionsTlsClientReachesPythonsSslServerAndIsRefusedByOneItDoesNotTrust() throws Exception {
    Path dir = certFile.getParent();
    String server =
        """
        import socket, ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(%s, %s)
        listener = socket.create_server(('127.0.0.1', 0))
        print(listener.getsockname()[1], flush=True)
        for _ in range(2):
            raw, _ = listener.accept()
            try:
                with ctx.wrap_socket(raw, server_side=True) as conn:
                    data = conn.recv(100)
                    conn.sendall(b'python heard ' + data)
            except (ssl.SSLError, OSError):
                pass
        """
            .formatted(
                pythonString(certFile.toString()), pythonString(dir.resolve("key.pem").toString()));
    Process python;
    try {
      python = new ProcessBuilder("python3", "-c", server).redirectErrorStream(true).start();
    } catch (IOException missing) {
      Assumptions.abort("python3 is not installed here: " + missing.getMessage());
      return;
    }
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
      int pythonPort = Integer.parseInt(lines.readLine().trim());
      Asker asker = askTrusting("hi", pythonPort);
      assertThat(asker.heard.get(30, TimeUnit.SECONDS)).isEqualTo("python heard hi");
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      background.execute(
          () ->
              background
                  .reactor()
                  .connectSSL(
                      "localhost",
                      pythonPort,
                      Factory.of(() -> new Protocol() {}),
                      TlsClientOptions.defaults()) // the JDK's authorities: not this certificate
                  .addErrback(
                      failure -> {
                        refused.complete(failure.value());
                        return null;
                      }));
      assertThat(refused.get(30, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              io.torsion.TlsHandshakeError.class,
              error ->
                  assertThat(error.reason())
                      .isEqualTo(io.torsion.TlsHandshakeError.Reason.UNKNOWN_CA));
    } finally {
      python.destroy();
    }
  }

  private static String url(String path) {
    return "https://127.0.0.1:" + port + path;
  }

  /** A TLS client that says one thing and records what it hears until the server closes. */
  private static final class Asker extends Protocol {
    final CompletableFuture<String> heard = new CompletableFuture<>();
    final CompletableFuture<TlsInfo> session = new CompletableFuture<>();
    private final String message;
    private final StringBuilder got = new StringBuilder();

    Asker(String message) {
      this.message = message;
    }

    @Override
    public void connectionMade() {
      session.complete(transport().tls());
      transport().write(message);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      got.append(StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      heard.complete(got.toString());
    }
  }
}
