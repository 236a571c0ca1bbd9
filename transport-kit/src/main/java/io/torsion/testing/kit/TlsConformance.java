package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.TlsFixtures.SERVER;
import static io.torsion.testing.kit.TlsFixtures.clientOptions;
import static io.torsion.testing.kit.TlsFixtures.jdkClient;
import static io.torsion.testing.kit.TlsFixtures.serverOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.BackgroundReactor;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.TlsHandshakeError;
import io.torsion.tls.Identity;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * TLS over the transport under test: handshakes both ways against the JDK's own TLS sockets and
 * between two Torsion ends, close_notify and half-close, flow control through TLS, SNI, ALPN,
 * mutual TLS, certificate reload, STARTTLS, and the hostile cases (garbage, plain HTTP, a handshake
 * that never finishes or stops half-way, renegotiation).
 */
public interface TlsConformance extends KitContext {
  /** Listens with TLS on 127.0.0.1, port 0, and returns the port. */
  private int listenSSL(Factory<?> factory, TlsServerOptions tls) {
    return background().call(() -> reactor().listenSSL(0, "127.0.0.1", factory, tls).port());
  }

  /** Connects with TLS to 127.0.0.1:{@code port} with {@code protocol}; returns it, connected. */
  private <P extends Protocol> P connectSSL(int port, P protocol, TlsClientOptions tls) {
    return await(
        outcome(() -> reactor().connectSSL("127.0.0.1", port, Factory.of(() -> protocol), tls)));
  }

  private static String echoOver(SSLSocket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return new String(socket.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
  }

  @Test
  default void aJdkClientHandshakesWithATlsPortAndItsProtocolSeesTheSessionInConnectionMade()
      throws Exception {
    CompletableFuture<TlsInfo> seen = new CompletableFuture<>();
    int port =
        listenSSL(
            Factory.of(
                () ->
                    new Recorder(true) {
                      @Override
                      public void connectionMade() {
                        seen.complete(transport().tls());
                        super.connectionMade();
                      }
                    }),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .applicationProtocols("http/1.1")
                .build());
    try (SSLSocket client = jdkClient(port)) {
      assertThat(echoOver(client, "hello over TLS")).isEqualTo("hello over TLS");
      assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    TlsInfo info = await(seen);
    assertThat(info).as("TLS facts in connectionMade").isNotNull();
    assertThat(info.protocol()).isEqualTo("TLSv1.3");
    assertThat(info.cipherSuite()).startsWith("TLS_");
    assertThat(info.localCertificates()).containsExactly(SERVER.certificate());
    assertThat(info.peerCertificates()).isEmpty();
  }

  @Test
  default void eightMebibytesEchoedToAJdkClientThatWritesAndReadsAtOnceArriveWhole()
      throws Exception {
    int port = listenSSL(Factory.of(() -> new Recorder(true)), serverOptions(tlsEngine()));
    byte[] data = Kit.randomBytes(8 << 20, 11);
    try (SSLSocket client = jdkClient(port)) {
      CompletableFuture<Void> written =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int at = 0; at < data.length; at += 16 * 1024 + 7) { // records split oddly
                    client
                        .getOutputStream()
                        .write(data, at, Math.min(16 * 1024 + 7, data.length - at));
                  }
                  client.getOutputStream().flush();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      byte[] echoed = client.getInputStream().readNBytes(data.length);
      written.get(30, TimeUnit.SECONDS);
      assertThat(java.util.Arrays.equals(echoed, data)).as("every byte echoed in order").isTrue();
    }
  }

  @Test
  default void tlsOnePointTwoIsSpokenWhenThatIsAllTheClientHas() throws Exception {
    int port = listenSSL(Factory.of(() -> new Recorder(true)), serverOptions(tlsEngine()));
    try (SSLSocket client = jdkClient(port, "TLSv1.2")) {
      assertThat(echoOver(client, "twelve")).isEqualTo("twelve");
      assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  default void connectSslReachesAJdkTlsServerAndVerifiesItsCertificate() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    javax.net.ssl.KeyManagerFactory keys =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "server",
        SERVER.identity().privateKey(),
        new char[0],
        new java.security.cert.Certificate[] {SERVER.certificate()});
    keys.init(store, new char[0]);
    context.init(keys.getKeyManagers(), null, null);
    try (SSLServerSocket server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                  accepted.setSoTimeout(20_000);
                  byte[] got = accepted.getInputStream().readNBytes(5);
                  accepted.getOutputStream().write(got);
                  accepted.getOutputStream().flush();
                  return new String(got, StandardCharsets.UTF_8);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      Recorder client =
          await(
              outcome(
                  () ->
                      reactor()
                          .connectSSL(
                              "localhost",
                              server.getLocalPort(),
                              Factory.of(
                                  () ->
                                      new Recorder(false) {
                                        @Override
                                        public void connectionMade() {
                                          transport().write("ahoy!");
                                          super.connectionMade();
                                        }
                                      }),
                              clientOptions(tlsEngine()))));
      assertThat(served.get(20, TimeUnit.SECONDS)).isEqualTo("ahoy!");
      TlsInfo info = background().call(() -> client.transport().tls());
      assertThat(info.serverName()).isEqualTo("localhost");
      assertThat(info.peerCertificates()).containsExactly(SERVER.certificate());
    }
  }

  @Test
  default void aGibibyteFlowsThroughTlsFromAPullProducerWithinTheWatermarks() throws Exception {
    long total = 1L << 30;
    AtomicLong received = new AtomicLong();
    AtomicLong mostQueued = new AtomicLong();
    CompletableFuture<ConnectionClosed> clientLost = new CompletableFuture<>();
    int port =
        listenSSL(
            Factory.of(
                () ->
                    new Protocol() {
                      long sent;

                      @Override
                      public void connectionMade() {
                        byte[] chunk = Kit.randomBytes(16 * 1024, 7);
                        transport()
                            .registerProducer(
                                new PullProducer() {
                                  @Override
                                  public void resumeProducing() {
                                    transport().write(chunk);
                                    sent += chunk.length;
                                    mostQueued.accumulateAndGet(
                                        transport().bufferedBytes(), Math::max);
                                    if (sent >= total) {
                                      transport().unregisterProducer();
                                      transport().loseConnection();
                                    }
                                  }

                                  @Override
                                  public void stopProducing() {}
                                });
                      }
                    }),
            serverOptions(tlsEngine()));
    await(
        outcome(
            () ->
                reactor()
                    .connectSSL(
                        "127.0.0.1",
                        port,
                        Factory.of(
                            () ->
                                new Protocol() {
                                  @Override
                                  public void dataReceived(ByteBuffer data) {
                                    received.addAndGet(data.remaining());
                                  }

                                  @Override
                                  public void connectionLost(ConnectionClosed reason) {
                                    clientLost.complete(reason);
                                  }
                                }),
                        clientOptions(tlsEngine()))));
    assertThat(clientLost.get(120, TimeUnit.SECONDS)).isInstanceOf(ConnectionDone.class);
    assertThat(received.get()).isEqualTo(total);
    assertThat(mostQueued.get())
        .as("queued at most: one write over the high watermark, plus the records")
        .isLessThanOrEqualTo(options().writeBufferHighWatermark() + 64 * 1024L);
  }

  @Test
  default void closeNotifyEndsTheSessionCleanlyAndAHalfCloseStillGetsItsAnswer() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        clientOptions(tlsEngine()).halfCloses(),
        () ->
            "the "
                + tlsEngine()
                + " engine discards what arrives after its own close_notify: no TLS half-close");
    HalfClose.Answerer server = new HalfClose.Answerer();
    int port = listenSSL(Factory.of(() -> server), serverOptions(tlsEngine()));
    HalfClose.Asker client = connectSSL(port, new HalfClose.Asker(), clientOptions(tlsEngine()));
    assertThat(await(client.lost)).isInstanceOf(ConnectionDone.class);
    assertThat(client.answer.toString()).isEqualTo("answer to question");
    assertThat(await(server.lost)).isInstanceOf(ConnectionDone.class);
  }

  @Test
  default void aHalfCloseOnAnEngineThatCannotIsACleanCloseTheServerHearsAsTheEnd()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        clientOptions(tlsEngine()).halfCloses(),
        () -> "the " + tlsEngine() + " engine half-closes: the test above covers it");
    HalfClose.Answerer server = new HalfClose.Answerer();
    int port = listenSSL(Factory.of(() -> server), serverOptions(tlsEngine()));
    HalfClose.Asker client = connectSSL(port, new HalfClose.Asker(), clientOptions(tlsEngine()));
    assertThat(await(client.lost)).isInstanceOf(ConnectionDone.class);
    assertThat(await(server.lost))
        .as("the server read the question and close_notify: a clean end")
        .isInstanceOf(ConnectionDone.class);
  }

  @Test
  default void aPeerThatStopsReadingIsHeldBackThroughTls() throws Exception {
    CompletableFuture<Long> queuedWhenPaused = new CompletableFuture<>();
    int port =
        listenSSL(
            Factory.of(
                () ->
                    new Protocol() {
                      @Override
                      public void connectionMade() {
                        transport()
                            .registerProducer(
                                new io.torsion.PushProducer() {
                                  boolean paused;

                                  @Override
                                  public void pauseProducing() {
                                    paused = true;
                                    queuedWhenPaused.complete(transport().bufferedBytes());
                                  }

                                  @Override
                                  public void resumeProducing() {
                                    paused = false;
                                  }

                                  @Override
                                  public void stopProducing() {}
                                });
                        byte[] chunk = new byte[8192];
                        while (!queuedWhenPaused.isDone() && !transport().disconnecting()) {
                          transport().write(chunk);
                        }
                      }
                    }),
            serverOptions(tlsEngine()));
    try (SSLSocket client = jdkClient(port)) {
      assertThat(client.getSession().isValid()).isTrue(); // and it reads nothing
      assertThat(queuedWhenPaused.get(30, TimeUnit.SECONDS))
          .as("paused at the high watermark, through TLS")
          .isLessThanOrEqualTo(options().writeBufferHighWatermark() + 8192L + 64 * 1024);
    }
  }

  @Test
  default void garbageOnATlsPortClosesThatConnectionAndTheNextHandshakeWorks() throws Exception {
    BackgroundReactor running = background();
    int port = listenSSL(Factory.of(() -> new Recorder(true)), serverOptions(tlsEngine()));
    try (Peer garbage = Peer.connect(port)) {
      garbage.write(Kit.randomBytes(4096, 3));
      assertThat(garbage.drainUntilClosed()).isLessThan(4096);
    }
    try (SSLSocket client = jdkClient(port)) {
      assertThat(echoOver(client, "still fine")).isEqualTo("still fine");
    }
    assertThat(running.call(() -> reactor().stats().openConnections())).isLessThanOrEqualTo(1);
  }

  @Test
  default void plainHttpToAnHttpsPortIsAnsweredWith400ThatSaysSo() throws Exception {
    int port =
        listenSSL(
            Factory.of(() -> new Recorder(true)),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .applicationProtocols("http/1.1")
                .build());
    try (Peer plain = Peer.connect(port)) {
      plain.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      String answer = new String(plain.readToEnd(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 400 ").contains("HTTPS");
    }
  }

  @Test
  default void aHandshakeThatStopsHalfWayOrNeverStartsIsClosedByTheTimeout() throws Exception {
    int port =
        listenSSL(
            Factory.of(() -> new Recorder(true)),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .handshakeTimeout(Duration.ofMillis(300))
                .build());
    try (Peer silent = Peer.connect(port);
        Peer halfWay = Peer.connect(port)) {
      halfWay.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // a hello's first bytes
      assertThat(silent.drainUntilClosed()).as("at most a closing alert").isLessThan(64);
      assertThat(halfWay.drainUntilClosed()).isLessThan(64);
    }
    try (SSLSocket client = jdkClient(port)) {
      assertThat(echoOver(client, "after")).isEqualTo("after");
    }
  }

  @Test
  default void aClientAbortingMidHandshakeCostsTheServerNothing() throws Exception {
    LinkedBlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listenSSL(Kit.recorders(built, true), serverOptions(tlsEngine()));
    for (int i = 0; i < 20; i++) {
      try (Peer peer = Peer.connect(port)) {
        peer.write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0x80, 0x01, 0x00});
      }
    }
    try (SSLSocket client = jdkClient(port)) {
      assertThat(echoOver(client, "ok")).isEqualTo("ok");
    }
    assertThat(built).as("protocols built: only for the finished handshake").hasSize(1);
  }

  @Test
  default void renegotiationIsRefused() throws Exception {
    LinkedBlockingQueue<Recorder> built = new LinkedBlockingQueue<>();
    int port = listenSSL(Kit.recorders(built, true), serverOptions(tlsEngine()));
    try (SSLSocket client = jdkClient(port, "TLSv1.2")) {
      assertThat(echoOver(client, "one")).isEqualTo("one");
      client.startHandshake(); // a renegotiation, on TLS 1.2
      assertThatThrownBy(
              () -> {
                echoOver(client, "two");
                if (client.getInputStream().read() < 0) {
                  throw new IOException("closed");
                }
              })
          .isInstanceOf(IOException.class);
    }
    ConnectionClosed why = await(Kit.take(built).lost);
    assertThat(why).isInstanceOf(ConnectionLost.class);
    assertThat(why.getMessage()).contains("renegotiation");
  }

  @Test
  default void aClientRejectsAnUntrustedAMismatchedAndAnExpiredCertificateSayingWhich()
      throws Exception {
    SelfSignedCertificate stranger = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    int strangerPort =
        listenSSL(
            Factory.of(() -> new Recorder(true)),
            TlsServerOptions.builder(stranger.identity()).engine(tlsEngine()).build());
    assertThat(handshakeFailure(strangerPort, clientOptions(tlsEngine())))
        .isEqualTo(TlsHandshakeError.Reason.UNKNOWN_CA);

    int port = listenSSL(Factory.of(() -> new Recorder(true)), serverOptions(tlsEngine()));
    TlsClientOptions otherName =
        TlsClientOptions.builder()
            .engine(tlsEngine())
            .trust(SERVER.trustRoots())
            .serverName("somewhere.else.example")
            .build();
    assertThat(handshakeFailure(port, otherName))
        .isEqualTo(TlsHandshakeError.Reason.HOSTNAME_MISMATCH);

    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    SelfSignedCertificate authority = SelfSignedCertificate.generate("kit development CA");
    Identity old =
        authority.issue(now.minusDays(10), now.minusDays(1), "localhost", "127.0.0.1").identity();
    int expiredPort =
        listenSSL(
            Factory.of(() -> new Recorder(true)),
            TlsServerOptions.builder(old).engine(tlsEngine()).build());
    assertThat(
            handshakeFailure(
                expiredPort,
                TlsClientOptions.builder()
                    .engine(tlsEngine())
                    .trust(authority.trustRoots())
                    .build()))
        .isEqualTo(TlsHandshakeError.Reason.EXPIRED);

    int modern =
        listenSSL(
            Factory.of(() -> new Recorder(true)),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .protocols("TLSv1.3")
                .build());
    assertThat(
            handshakeFailure(
                modern,
                TlsClientOptions.builder()
                    .engine(tlsEngine())
                    .trust(SERVER.trustRoots())
                    .protocols("TLSv1.2")
                    .build()))
        .isEqualTo(TlsHandshakeError.Reason.PROTOCOL_VERSION);
  }

  private TlsHandshakeError.Reason handshakeFailure(int port, TlsClientOptions tls)
      throws InterruptedException {
    CompletableFuture<Protocol> attempt =
        outcome(
            () ->
                reactor()
                    .connectSSL("127.0.0.1", port, Factory.of(() -> new Recorder(false)), tls));
    try {
      attempt.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TlsHandshakeError.class);
      return ((TlsHandshakeError) e.getCause()).reason();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the handshake neither failed nor finished", e);
    }
    throw new AssertionError("the handshake succeeded");
  }

  @Test
  default void oneTlsPortServesACertificatePerSniNameAndItsDefaultToTheRest() throws Exception {
    SelfSignedCertificate api = SelfSignedCertificate.generate("api.example.test");
    SelfSignedCertificate wild = SelfSignedCertificate.generate("*.apps.example.test");
    int port =
        listenSSL(
            Factory.of(() -> new Recorder(true)),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .serverName("api.example.test", api.identity())
                .serverName("*.apps.example.test", wild.identity())
                .build());
    assertThat(servedTo(port, "api.example.test", api)).isEqualTo(api.certificate());
    assertThat(servedTo(port, "one.apps.example.test", wild)).isEqualTo(wild.certificate());
    assertThat(servedTo(port, "localhost", SERVER)).isEqualTo(SERVER.certificate());
  }

  private java.security.cert.X509Certificate servedTo(
      int port, String name, SelfSignedCertificate trusted) {
    Recorder client =
        connectSSL(
            port,
            new Recorder(false),
            TlsClientOptions.builder()
                .engine(tlsEngine())
                .trust(trusted.trustRoots())
                .serverName(name)
                .build());
    TlsInfo info = background().call(() -> client.transport().tls());
    background().execute(() -> client.transport().loseConnection());
    assertThat(info.serverName()).isEqualTo(name);
    return info.peerCertificates().get(0);
  }

  @Test
  default void alpnAgreesOnTheServersPreferredProtocolTheClientOffers() throws Exception {
    CompletableFuture<String> serverSaw = new CompletableFuture<>();
    int port =
        listenSSL(
            Factory.of(
                () ->
                    new Recorder(true) {
                      @Override
                      public void connectionMade() {
                        serverSaw.complete(transport().tls().applicationProtocol());
                      }
                    }),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .applicationProtocols("h2", "http/1.1")
                .build());
    Recorder client =
        connectSSL(
            port,
            new Recorder(false),
            TlsClientOptions.builder()
                .engine(tlsEngine())
                .trust(SERVER.trustRoots())
                .applicationProtocols("http/1.1", "spdy/3")
                .build());
    assertThat(background().call(() -> client.transport().tls().applicationProtocol()))
        .isEqualTo("http/1.1");
    assertThat(await(serverSaw)).isEqualTo("http/1.1");
  }

  @Test
  default void mutualTlsRequiresAClientCertificateAndShowsTheServerItsChain() throws Exception {
    CompletableFuture<TlsInfo> serverSaw = new CompletableFuture<>();
    int port =
        listenSSL(
            Factory.of(
                () ->
                    new Recorder(true) {
                      @Override
                      public void connectionMade() {
                        serverSaw.complete(transport().tls());
                      }
                    }),
            TlsServerOptions.builder(SERVER.identity())
                .engine(tlsEngine())
                .clientAuth(TlsServerOptions.ClientAuth.REQUIRE, TlsFixtures.CLIENT.trustRoots())
                .build());
    try (SSLSocket anonymous = jdkClient(port)) {
      assertThatThrownBy(() -> echoOver(anonymous, "let me in")).isInstanceOf(IOException.class);
    } catch (java.io.UncheckedIOException refusedInHandshake) {
      // TLS 1.2 fails the handshake itself; TLS 1.3 the first read after it
    }
    assertThat(serverSaw).isNotDone();
    Recorder client =
        connectSSL(
            port,
            new Recorder(false),
            TlsClientOptions.builder()
                .engine(tlsEngine())
                .trust(SERVER.trustRoots())
                .identity(TlsFixtures.CLIENT.identity())
                .build());
    assertThat(client).isNotNull();
    assertThat(await(serverSaw).peerCertificates())
        .containsExactly(TlsFixtures.CLIENT.certificate());
  }

  @Test
  default void reloadServesNewCertificatesToNewHandshakesAndKeepsTheOldOnABrokenFile()
      throws Exception {
    Path dir = Files.createTempDirectory("torsion-tls-reload");
    Path chain = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    SelfSignedCertificate first = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    SelfSignedCertificate second = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    first.writePem(chain, key);
    TlsServerOptions tls =
        TlsServerOptions.builder(Identity.fromPem(chain, key)).engine(tlsEngine()).build();
    int port = listenSSL(Factory.of(() -> new Recorder(true)), tls);
    Recorder before = connectTrusting(port, first);
    second.writePem(chain, key);
    tls.reload();
    Recorder after = connectTrusting(port, second);
    assertThat(background().call(() -> after.transport().tls().peerCertificates().get(0)))
        .isEqualTo(second.certificate());
    assertThat(background().call(() -> before.transport().disconnecting()))
        .as("the connection made before the reload is untouched")
        .isFalse();
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(tls::reload).isInstanceOf(IOException.class);
    assertThat(connectTrusting(port, second)).isNotNull();
  }

  @Test
  default void watchedCertificateFilesAreReloadedWhenTheyChange() throws Exception {
    Path dir = Files.createTempDirectory("torsion-tls-watch");
    Path chain = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    SelfSignedCertificate first = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    SelfSignedCertificate second = SelfSignedCertificate.generate("localhost", "127.0.0.1");
    first.writePem(chain, key);
    Files.setLastModifiedTime(chain, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000L));
    Files.setLastModifiedTime(key, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000L));
    TlsServerOptions tls =
        TlsServerOptions.builder(Identity.fromPem(chain, key))
            .engine(tlsEngine())
            .watchFiles(Duration.ofMillis(50))
            .build();
    int port = listenSSL(Factory.of(() -> new Recorder(true)), tls);
    assertThat(connectTrusting(port, first)).isNotNull();
    second.writePem(chain, key); // newer modification times than the ones set above
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!tls.identities().get(0).certificates().get(0).equals(second.certificate())) {
      assertThat(System.nanoTime() - deadline).as("reloaded within 20 s").isNegative();
      java.util.concurrent.locks.LockSupport.parkNanos(
          5_000_000); // polls the reload, bounded above
    }
    Recorder after = connectTrusting(port, second);
    assertThat(background().call(() -> after.transport().tls().peerCertificates().get(0)))
        .isEqualTo(second.certificate());
  }

  private Recorder connectTrusting(int port, SelfSignedCertificate trusted) {
    return connectSSL(
        port,
        new Recorder(false),
        TlsClientOptions.builder().engine(tlsEngine()).trust(trusted.trustRoots()).build());
  }

  @Test
  default void startTlsUpgradesALiveConnectionAfterItsPlaintextCommand() throws Exception {
    int port =
        listen(
            Factory.of(
                () ->
                    new Protocol() {
                      boolean upgraded;

                      @Override
                      public void dataReceived(ByteBuffer data) {
                        if (upgraded) {
                          transport().write(data);
                          return;
                        }
                        String text = StandardCharsets.US_ASCII.decode(data.duplicate()).toString();
                        int end = text.indexOf('\n');
                        if (end >= 0 && text.startsWith("STARTTLS")) {
                          data.position(data.position() + end + 1);
                          transport().write("OK\n");
                          upgraded = true;
                          transport().startTLS(serverOptions(tlsEngine()), data);
                        }
                      }
                    }));
    try (Peer plain = Peer.connect(port)) {
      plain.write("STARTTLS\n");
      assertThat(plain.readUtf8(3)).isEqualTo("OK\n");
      SSLSocket upgraded =
          (SSLSocket)
              TlsFixtures.jdkContext(null)
                  .getSocketFactory()
                  .createSocket(plain.socket(), "localhost", port, true);
      upgraded.startHandshake();
      assertThat(echoOver(upgraded, "secret")).isEqualTo("secret");
      upgraded.close();
    }
  }

  @Test
  default void bothEndsOfTorsionUpgradeWithStartTls() throws Exception {
    CompletableFuture<TlsInfo> serverDone = new CompletableFuture<>();
    int port =
        listen(
            Factory.of(
                () ->
                    new Recorder(true) {
                      @Override
                      public void connectionMade() {
                        transport()
                            .startTLS(serverOptions(tlsEngine()))
                            .addCallback(
                                info -> {
                                  serverDone.complete(info);
                                  return null;
                                });
                      }
                    }));
    CompletableFuture<String> echoed = new CompletableFuture<>();
    await(
        outcome(
            () ->
                reactor()
                    .connectTCP(
                        "127.0.0.1",
                        port,
                        Factory.of(
                            () ->
                                new Protocol() {
                                  @Override
                                  public void connectionMade() {
                                    transport().startTLS(clientOptions(tlsEngine()));
                                    transport().write("written before the handshake ended");
                                  }

                                  @Override
                                  public void dataReceived(ByteBuffer data) {
                                    echoed.complete(StandardCharsets.UTF_8.decode(data).toString());
                                  }
                                }))));
    assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo("written before the handshake ended");
    assertThat(await(serverDone).protocol()).isEqualTo("TLSv1.3");
  }
}
