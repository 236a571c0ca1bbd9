package io.torsion.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.CancelledError;
import io.torsion.ConnectionRefusedError;
import io.torsion.DNSLookupError;
import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.Reactor;
import io.torsion.TlsHandshakeError;
import io.torsion.protocols.http.BodyReceiver;
import io.torsion.protocols.http.HttpHeaders;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.protocols.http.client.HttpClientError.Reason;
import io.torsion.protocols.http.client.Scripted.Answer;
import io.torsion.protocols.http.client.Scripted.Script;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsServerOptions;
import io.torsion.tls.TrustRoots;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against Torsion's own server and against a test double that misbehaves in every way
 * the issue lists, over real loopback sockets on the best transport here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpClientTest {
  private BackgroundReactor background;
  private Reactor reactor;
  private int serverPort;
  private final List<Deferred<HttpResponse>> held = new ArrayList<>();

  @BeforeEach
  void start() {
    background = BackgroundReactor.start(Reactor.create());
    reactor = background.reactor();
    Router router =
        Router.builder()
            .get("/plaintext", (request, p) -> Deferred.succeed(HttpResponse.text(200, "Hello")))
            .get(
                "/headers",
                (request, p) ->
                    Deferred.succeed(
                        HttpResponse.text(
                            200,
                            request.headers().get("Host")
                                + " "
                                + request.headers().get("User-Agent")
                                + " "
                                + request.headers().get("X-Test"))))
            .post(
                "/whole",
                (request, p) ->
                    Deferred.succeed(
                        HttpResponse.text(200, request.method() + " " + request.bodyText())))
            .streaming(
                "POST",
                "/echo",
                (request, p) ->
                    Deferred.succeed(
                        HttpResponse.streamed(
                            200,
                            "application/octet-stream",
                            body -> {
                              request.bodyStream().deliverTo(BodyReceiver.into(body));
                              body.registerProducer(request.bodyStream());
                            })))
            .get(
                "/big",
                (request, p) ->
                    Deferred.succeed(
                        HttpResponse.bytes(200, "application/octet-stream", new byte[1 << 20])))
            .get(
                "/redirect/{n}",
                (request, p) -> {
                  int n = Integer.parseInt(p.get("n"));
                  return Deferred.succeed(
                      n == 0
                          ? HttpResponse.text(200, "arrived")
                          : HttpResponse.of(302).header("Location", "/redirect/" + (n - 1)));
                })
            .post(
                "/see-other",
                (request, p) ->
                    Deferred.succeed(HttpResponse.of(303).header("Location", "/plaintext")))
            .post(
                "/temporary",
                (request, p) -> Deferred.succeed(HttpResponse.of(307).header("Location", "/whole")))
            .get(
                "/held",
                (request, p) -> {
                  Deferred<HttpResponse> later = new Deferred<>();
                  held.add(later);
                  return later;
                })
            .get("/nothing", (request, p) -> Deferred.succeed(HttpResponse.of(204)))
            .build();
    serverPort =
        background.call(
            () -> reactor.listenTCP(0, "127.0.0.1", HttpServer.create(reactor, router)).port());
  }

  @AfterEach
  void stop() {
    background.close();
  }

  private HttpClient client(HttpClientOptions options) {
    return background.call(() -> HttpClient.create(reactor, options));
  }

  private HttpClient client() {
    return client(HttpClientOptions.defaults());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + serverPort + path;
  }

  /** Runs {@code call} on the reactor thread and waits for its Deferred. */
  private <T> T await(Function<Reactor, Deferred<T>> call) throws Exception {
    CompletableFuture<T> future =
        background.call(
            () -> {
              CompletableFuture<T> done = new CompletableFuture<>();
              call.apply(reactor)
                  .addCallbacks(
                      value -> {
                        done.complete(value);
                        return null;
                      },
                      failure -> {
                        done.completeExceptionally(failure.value());
                        return null;
                      });
              return done;
            });
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private ClientResponse get(HttpClient client, String uri) throws Exception {
    return await(r -> client.get(uri));
  }

  private int scripted(Script script) {
    return background.call(() -> reactor.listenTCP(0, "127.0.0.1", script.factory()).port());
  }

  // ---------------------------------------------------------------- against Torsion's server

  @Test
  void getsAndReusesOneKeepAliveConnection() throws Exception {
    HttpClient client = client();
    for (int i = 0; i < 5; i++) {
      ClientResponse response = get(client, url("/plaintext"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.reason()).isEqualTo("OK");
      assertThat(response.bodyText()).isEqualTo("Hello");
      assertThat(response.headers().get("Content-Type")).startsWith("text/plain");
    }
    assertThat(background.call(client::connectionsOpened)).isEqualTo(1);
    assertThat(background.call(client::idleConnections)).isEqualTo(1);
    assertThat(get(client, url("/headers")).bodyText())
        .isEqualTo("127.0.0.1:" + serverPort + " Torsion null");
    ClientResponse custom =
        await(
            r ->
                client.request(
                    "GET", url("/headers"), new HttpHeaders().add("X-Test", "yes"), null));
    assertThat(custom.bodyText()).endsWith(" yes");
    assertThat(get(client, url("/nothing")).status()).isEqualTo(204);
    ClientResponse head =
        await(r -> client.request(ClientRequest.builder("HEAD", url("/big")).build()));
    assertThat(head.headers().get("Content-Length")).isEqualTo("1048576");
    assertThat(head.body()).isEmpty();
    assertThat(get(client, url("/plaintext")).bodyText()).isEqualTo("Hello");
    assertThat(background.call(client::connectionsOpened)).isEqualTo(1);
    await(r -> client.close());
    assertThat(background.call(client::openConnections)).isZero();
  }

  @Test
  void sendsFixedAndChunkedBodiesAndStreamsTheResponseWithBackpressure() throws Exception {
    HttpClient client = client(HttpClientOptions.builder().expectContinueThreshold(1024).build());
    assertThat(await(r -> client.post(url("/whole"), "text/plain", "abc".getBytes())).bodyText())
        .isEqualTo("POST abc");
    byte[] large = new byte[3 * 1024 * 1024];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    // Chunked upload (with Expect: 100-continue, which the server answers), streamed echo back:
    // the receiver pauses after each piece and resumes later, so the server is held back.
    AtomicInteger pieces = new AtomicInteger();
    CompletableFuture<byte[]> echoed = new CompletableFuture<>();
    background.call(
        () -> {
          ClientRequest upload =
              ClientRequest.builder("POST", url("/echo"))
                  .body(
                      -1,
                      body -> {
                        for (int at = 0; at < large.length; at += 100_000) {
                          body.write(
                              ByteBuffer.wrap(large, at, Math.min(100_000, large.length - at)));
                        }
                        body.finish();
                      })
                  .streamResponse()
                  .build();
          client
              .request(upload)
              .addCallback(
                  response -> {
                    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                    response
                        .bodyStream()
                        .deliverTo(
                            new BodyReceiver() {
                              @Override
                              public void bodyData(ByteBuffer data) {
                                byte[] piece = new byte[data.remaining()];
                                data.get(piece);
                                got.writeBytes(piece);
                                pieces.incrementAndGet();
                                response.bodyStream().pauseProducing();
                                reactor.callLater(
                                    Duration.ofMillis(1),
                                    () -> response.bodyStream().resumeProducing());
                              }

                              @Override
                              public void bodyEnd(HttpHeaders trailers) {
                                echoed.complete(got.toByteArray());
                              }

                              @Override
                              public void bodyFailed(Failure reason) {
                                echoed.completeExceptionally(reason.value());
                              }
                            });
                    return null;
                  });
          return null;
        });
    assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(large);
    assertThat(pieces.get()).isGreaterThan(1);
    ClientResponse fixed =
        await(
            r ->
                client.request(
                    ClientRequest.builder("POST", url("/whole"))
                        .body(
                            5,
                            body -> {
                              body.write("hello".getBytes(StandardCharsets.US_ASCII));
                              body.finish();
                            })
                        .build()));
    assertThat(fixed.bodyText()).isEqualTo("POST hello");
  }

  @Test
  void redirectsAreFollowedOnlyWhenAskedAndWithinTheMaximum() throws Exception {
    HttpClient client = client();
    assertThat(get(client, url("/redirect/2")).status()).isEqualTo(302);
    ClientResponse followed =
        await(
            r ->
                client.request(
                    ClientRequest.builder("GET", url("/redirect/3")).followRedirects(5).build()));
    assertThat(followed.bodyText()).isEqualTo("arrived");
    assertThat(followed.uri().getPath()).isEqualTo("/redirect/0");
    assertThat(followed.redirects()).hasSize(3);
    assertThatThrownBy(
            () ->
                await(
                    r ->
                        client.request(
                            ClientRequest.builder("GET", url("/redirect/3"))
                                .followRedirects(2)
                                .build())))
        .isInstanceOfSatisfying(
            HttpClientError.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_REDIRECTS));
    ClientResponse seeOther =
        await(
            r ->
                client.request(
                    ClientRequest.builder("POST", url("/see-other"))
                        .body("x".getBytes())
                        .followRedirects(1)
                        .build()));
    assertThat(seeOther.bodyText()).as("303 turns POST into GET").isEqualTo("Hello");
    ClientResponse temporary =
        await(
            r ->
                client.request(
                    ClientRequest.builder("POST", url("/temporary"))
                        .body("kept".getBytes())
                        .followRedirects(1)
                        .build()));
    assertThat(temporary.bodyText()).as("307 keeps method and body").isEqualTo("POST kept");
  }

  @Test
  void httpsIsNotDowngradedToHttpByARedirect() {
    ClientRequest request =
        ClientRequest.builder("GET", "https://example.org/a").followRedirects(3).build();
    HttpHeaders headers = new HttpHeaders().add("Location", "http://example.org/b");
    assertThat(Redirects.next(request, 301, headers)).isNull();
    assertThat(Redirects.next(request, 301, new HttpHeaders().add("Location", "/b#frag")).uri())
        .hasToString("https://example.org/b");
    ClientRequest withCredentials =
        ClientRequest.builder("GET", "https://example.org/a")
            .header("Authorization", "secret")
            .build();
    assertThat(
            Redirects.next(
                    withCredentials, 302, new HttpHeaders().add("Location", "https://other.org/"))
                .headers()
                .contains("Authorization"))
        .as("credentials do not follow to another origin")
        .isFalse();
  }

  @Test
  void thePoolBoundsConnectionsPerHostAndQueuesTheRest() throws Exception {
    HttpClient client = client(HttpClientOptions.builder().maxConnectionsPerHost(2).build());
    List<CompletableFuture<ClientResponse>> all = new ArrayList<>();
    background.call(
        () -> {
          for (int i = 0; i < 6; i++) {
            all.add(client.get(url("/held")).toCompletableFuture());
          }
          return null;
        });
    // two requests reach the server; the others wait for a connection
    while (background.call(held::size) < 2) {
      Thread.onSpinWait();
    }
    assertThat(background.call(client::openConnections)).isEqualTo(2);
    for (int released = 0; released < 6; released++) {
      int index = released;
      while (background.call(held::size) <= index) {
        Thread.onSpinWait();
      }
      background.call(
          () -> {
            held.get(index).callback(HttpResponse.text(200, "r" + index));
            return null;
          });
    }
    for (CompletableFuture<ClientResponse> response : all) {
      assertThat(response.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(background.call(client::connectionsOpened)).isEqualTo(2);
  }

  @Test
  void theTotalLimitClosesAnIdleConnectionOfAnotherOriginAndIdleOnesExpire() throws Exception {
    Script other = new Script(n -> Answer.of(OK));
    int otherPort = scripted(other);
    HttpClient client =
        client(
            HttpClientOptions.builder()
                .maxConnections(1)
                .idleTimeout(Duration.ofMillis(100))
                .build());
    assertThat(get(client, url("/plaintext")).bodyText()).isEqualTo("Hello");
    assertThat(background.call(client::idleConnections)).isEqualTo(1);
    assertThat(get(client, "http://127.0.0.1:" + otherPort + "/").bodyText())
        .as("the idle connection to the first origin made room")
        .isEqualTo("ok");
    assertThat(background.call(client::openConnections)).isLessThanOrEqualTo(1);
    assertThat(background.call(client::connectionsOpened)).isEqualTo(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (background.call(client::openConnections) > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the idle timeout runs on the reactor's clock
    }
    assertThat(background.call(client::openConnections))
        .as("an idle connection closes after the idle timeout")
        .isZero();
    assertThat(get(client, url("/plaintext")).bodyText()).isEqualTo("Hello");
  }

  @Test
  void aCancelledRequestClosesItsConnectionOrLeavesTheQueue() throws Exception {
    HttpClient client = client(HttpClientOptions.builder().maxConnectionsPerHost(1).build());
    List<Deferred<ClientResponse>> requests = new ArrayList<>();
    background.call(
        () -> {
          requests.add(client.get(url("/held")));
          requests.add(client.get(url("/plaintext")));
          return null;
        });
    while (background.call(held::size) < 1) {
      Thread.onSpinWait();
    }
    CompletableFuture<ClientResponse> second =
        background.call(() -> requests.get(1).toCompletableFuture());
    CompletableFuture<ClientResponse> first =
        background.call(
            () -> {
              CompletableFuture<ClientResponse> f = requests.get(0).toCompletableFuture();
              requests.get(0).cancel();
              return f;
            });
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
        .isInstanceOf(CancelledError.class); // a CancellationException: get() throws it as it is
    assertThat(second.get(10, TimeUnit.SECONDS).bodyText())
        .as("the queued request gets a new connection")
        .isEqualTo("Hello");
    assertThat(background.call(client::connectionsOpened)).isEqualTo(2);
    CompletableFuture<ClientResponse> queued =
        background.call(
            () -> {
              Deferred<ClientResponse> blocker = client.get(url("/held"));
              Deferred<ClientResponse> waiting = client.get(url("/plaintext"));
              CompletableFuture<ClientResponse> f = waiting.toCompletableFuture();
              waiting.cancel();
              blocker.cancel();
              return f;
            });
    assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS))
        .isInstanceOf(CancelledError.class); // a CancellationException: get() throws it as it is
    assertThat(get(client, url("/plaintext")).bodyText()).isEqualTo("Hello");
  }

  @Test
  void theTotalTimeoutCancelsTheExchange() {
    HttpClient client = client();
    assertThatThrownBy(
            () ->
                await(
                    r ->
                        client.request(
                            ClientRequest.builder("GET", url("/held"))
                                .timeout(Duration.ofMillis(200))
                                .build())))
        .isInstanceOfSatisfying(
            HttpClientError.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
  }

  @Test
  void namesResolveThroughTheResolverGiven() throws Exception {
    List<String> asked = new ArrayList<>();
    HostResolver fake =
        host -> {
          asked.add(host);
          try {
            return host.equals("service.test")
                ? Deferred.succeed(List.of(InetAddress.getByName("127.0.0.1")))
                : Deferred.fail(new DNSLookupError("no such host: " + host, null));
          } catch (java.net.UnknownHostException e) {
            return Deferred.fail(e);
          }
        };
    HttpClient client = client(HttpClientOptions.builder().resolver(fake).build());
    assertThat(get(client, "http://service.test:" + serverPort + "/headers").bodyText())
        .startsWith("service.test:" + serverPort + " ");
    assertThatThrownBy(() -> get(client, "http://elsewhere.test/"))
        .isInstanceOf(DNSLookupError.class);
    assertThat(background.call(() -> List.copyOf(asked)))
        .containsExactly("service.test", "elsewhere.test");
  }

  @Test
  void aRefusedConnectionFailsTheRequest() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HttpClient client = client();
    assertThatThrownBy(() -> get(client, "http://127.0.0.1:" + closedPort + "/"))
        .isInstanceOf(ConnectionRefusedError.class);
    assertThat(background.call(client::openConnections)).isZero();
  }

  @Test
  void httpsVerifiesTheServerAndItsNameAndPoolsTlsConnections() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    Router hello =
        Router.builder()
            .get(
                "/secure",
                (request, p) ->
                    Deferred.succeed(
                        HttpResponse.text(
                            200, request.isSecure() + " " + request.tls().serverName())))
            .build();
    int tlsPort =
        background.call(
            () ->
                reactor
                    .listenSSL(
                        0,
                        "127.0.0.1",
                        HttpServer.create(reactor, hello),
                        TlsServerOptions.of(certificate.identity()))
                    .port());
    HttpClient trusting =
        client(
            HttpClientOptions.builder()
                .tls(
                    TlsClientOptions.builder()
                        .trust(TrustRoots.of(certificate.certificate()))
                        .build())
                .build());
    // localhost may resolve to ::1 first, where nothing listens: the next address is tried
    for (int i = 0; i < 3; i++) {
      assertThat(get(trusting, "https://localhost:" + tlsPort + "/secure").bodyText())
          .isEqualTo("true localhost");
    }
    assertThat(background.call(trusting::connectionsOpened)).isEqualTo(1);
    assertThat(get(trusting, "https://127.0.0.1:" + tlsPort + "/secure").bodyText())
        .as("no SNI for an IP address")
        .isEqualTo("true null");
    HostResolver wrongName =
        host -> {
          try {
            return Deferred.succeed(List.of(InetAddress.getByName("127.0.0.1")));
          } catch (java.net.UnknownHostException e) {
            return Deferred.fail(e);
          }
        };
    HttpClient misdirected =
        client(
            HttpClientOptions.builder()
                .resolver(wrongName)
                .tls(
                    TlsClientOptions.builder()
                        .trust(TrustRoots.of(certificate.certificate()))
                        .build())
                .build());
    assertThatThrownBy(() -> get(misdirected, "https://other.test:" + tlsPort + "/secure"))
        .as("the certificate does not name other.test")
        .isInstanceOf(TlsHandshakeError.class);
    assertThatThrownBy(() -> get(client(), "https://127.0.0.1:" + tlsPort + "/secure"))
        .as("a self-signed certificate is not trusted by default")
        .isInstanceOf(TlsHandshakeError.class);
  }

  // ---------------------------------------------------------------- against a misbehaving server

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** Asks the double for one response, then checks the client goes on with a good one. */
  private HttpClientError refused(String badResponse) throws Exception {
    Script script = new Script(n -> n == 0 ? Answer.of(badResponse) : Answer.of(OK));
    int port = scripted(script);
    HttpClient client =
        client(
            HttpClientOptions.builder()
                .maxResponseBody(1000)
                .maxResponseHeadSize(1024)
                .readTimeout(Duration.ofMillis(300))
                .build());
    HttpClientError error = null;
    try {
      get(client, "http://127.0.0.1:" + port + "/");
    } catch (HttpClientError e) {
      error = e;
    }
    assertThat(error).as("an error for %s", badResponse).isNotNull();
    ClientResponse next = get(client, "http://127.0.0.1:" + port + "/");
    assertThat(next.bodyText()).as("after %s", badResponse).isEqualTo("ok");
    assertThat(script.connections.get()).as("a new connection after an error").isEqualTo(2);
    return error;
  }

  @Test
  void everyMalformedResponseIsAClearErrorAndNeverPoisonsThePool() throws Exception {
    String[] malformed = {
      "HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
      "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\n Folded: x\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nX: " + "y".repeat(2000) + "\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n",
    };
    for (String response : malformed) {
      assertThat(refused(response).reason()).as(response).isEqualTo(Reason.MALFORMED_RESPONSE);
    }
  }

  @Test
  void tooLargeEarlyEndingAndSilentResponsesFailTheirRequest() throws Exception {
    assertThat(refused("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n").reason())
        .isEqualTo(Reason.BODY_TOO_LARGE);
    assertThat(refused("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf").reason())
        .as("a body that stops arriving")
        .isEqualTo(Reason.TIMEOUT);
    Script ending =
        new Script(
            n ->
                n == 0
                    ? Answer.thenClose("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
                    : Answer.of(OK));
    int port = scripted(ending);
    HttpClient client = client();
    assertThatThrownBy(() -> get(client, "http://127.0.0.1:" + port + "/"))
        .isInstanceOfSatisfying(
            HttpClientError.class, e -> assertThat(e.reason()).isEqualTo(Reason.ENDED_EARLY));
    Script silent = new Script(n -> Answer.silence());
    int silentPort = scripted(silent);
    HttpClient impatient =
        client(HttpClientOptions.builder().responseTimeout(Duration.ofMillis(200)).build());
    assertThatThrownBy(() -> get(impatient, "http://127.0.0.1:" + silentPort + "/"))
        .isInstanceOfSatisfying(
            HttpClientError.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
  }

  @Test
  void extraBytesAfterAResponseAreNeverReadAsTheNextResponse() throws Exception {
    Script script =
        new Script(
            n ->
                n == 0
                    ? Answer.of(OK + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nforged")
                    : Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal"));
    int port = scripted(script);
    HttpClient client = client();
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText()).isEqualTo("ok");
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText()).isEqualTo("real");
    assertThat(script.connections.get()).isEqualTo(2);
  }

  @Test
  void aBodyDelimitedByTheCloseAndConnectionCloseAreHonoured() throws Exception {
    Script script =
        new Script(
            n ->
                switch (n) {
                  case 0 -> Answer.thenClose("HTTP/1.0 200 OK\r\n\r\nuntil the close");
                  case 1 ->
                      Answer.of(
                          "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx");
                  default -> Answer.of(OK);
                });
    int port = scripted(script);
    HttpClient client = client();
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText())
        .isEqualTo("until the close");
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText()).isEqualTo("x");
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText()).isEqualTo("ok");
    assertThat(script.connections.get()).isEqualTo(3);
  }

  @Test
  void anIdempotentRequestIsRetriedOnceWhenAReusedConnectionClosesUnanswered() throws Exception {
    // The server answers the first request and keeps the connection, then closes it unanswered
    // when the second arrives (as a server whose keep-alive timeout just ran out does).
    Script script =
        new Script(
            n ->
                switch (n) {
                  case 0 -> Answer.of(OK);
                  case 1 -> new Answer(null, false, true);
                  default -> Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nretry");
                });
    int port = scripted(script);
    HttpClient client = client();
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText()).isEqualTo("ok");
    assertThat(get(client, "http://127.0.0.1:" + port + "/").bodyText()).isEqualTo("retry");
    assertThat(script.connections.get()).isEqualTo(2);
    Script once = new Script(n -> n == 0 ? Answer.of(OK) : new Answer(null, false, true));
    int postPort = scripted(once);
    assertThat(
            await(
                    r ->
                        client.post(
                            "http://127.0.0.1:" + postPort + "/", "text/plain", new byte[] {1}))
                .status())
        .isEqualTo(200);
    assertThatThrownBy(
            () ->
                await(
                    r ->
                        client.post(
                            "http://127.0.0.1:" + postPort + "/", "text/plain", new byte[] {1})))
        .as("POST is not retried")
        .isInstanceOfSatisfying(
            HttpClientError.class, e -> assertThat(e.reason()).isEqualTo(Reason.ENDED_EARLY));
  }

  @Test
  void expectContinueWaitsForTheServerOrItsTimeout() throws Exception {
    IntFunction<Answer> answers = n -> Answer.of(OK);
    Script script = new Script(answers);
    int port = scripted(script);
    HttpClient client =
        client(
            HttpClientOptions.builder()
                .expectContinueThreshold(10)
                .expectContinueTimeout(Duration.ofMillis(100))
                .build());
    ClientResponse response =
        await(
            r ->
                client.post(
                    "http://127.0.0.1:" + port + "/", "text/plain", "a body over ten".getBytes()));
    assertThat(response.bodyText()).isEqualTo("ok");
    assertThat(script.heads.get(0)).contains("Expect: 100-continue\r\n");
    // against Torsion's server, which answers 100 Continue
    assertThat(
            await(r -> client.post(url("/whole"), "text/plain", "a body over ten".getBytes()))
                .bodyText())
        .isEqualTo("POST a body over ten");
    // a 417 to the Expect: the request goes again without it, on a new connection
    Script picky =
        new Script(
            n ->
                n == 0
                    ? Answer.atHead("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n")
                    : Answer.of(OK));
    int pickyPort = scripted(picky);
    assertThat(
            await(
                    r ->
                        client.post(
                            "http://127.0.0.1:" + pickyPort + "/",
                            "text/plain",
                            "a body over ten".getBytes()))
                .bodyText())
        .isEqualTo("ok");
    assertThat(picky.heads).hasSize(2);
    assertThat(picky.heads.get(0)).contains("Expect: 100-continue");
    assertThat(picky.heads.get(1)).doesNotContain("Expect:");
    // a final status answers the upload
    Script refusing =
        new Script(
            n ->
                n == 0
                    ? Answer.of("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n")
                    : Answer.of(OK));
    int refusingPort = scripted(refusing);
    assertThat(
            await(
                    r ->
                        client.post(
                            "http://127.0.0.1:" + refusingPort + "/",
                            "text/plain",
                            "a body over ten".getBytes()))
                .status())
        .isEqualTo(413);
  }
}
