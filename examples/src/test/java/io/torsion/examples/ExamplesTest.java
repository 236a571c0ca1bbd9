package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.ConnectionDone;
import io.torsion.DatagramTransport;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.endpoints.EndpointPort;
import io.torsion.endpoints.Endpoints;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.http.HttpServer;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-file examples do what their Javadoc says. */
class ExamplesTest {
  @TempDir Path dir;

  private static <T> T outcome(BackgroundReactor background, Callable<Deferred<T>> start)
      throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    background.execute(
        () -> {
          try {
            start
                .call()
                .addCallbacks(
                    value -> {
                      result.complete(value);
                      return null;
                    },
                    failure -> {
                      result.completeExceptionally(failure.value());
                      return null;
                    });
          } catch (Exception e) {
            result.completeExceptionally(e);
          }
        });
    return result.get(30, TimeUnit.SECONDS);
  }

  @Test
  void theUnixLineServiceAnswersOverAUnixSocketAndOverTcp() throws Exception {
    try (BackgroundReactor background = BackgroundReactor.start(Reactor.create())) {
      Reactor reactor = background.reactor();
      Path socket = dir.resolve("upper.sock");
      EndpointPort unix =
          background.call(
              () ->
                  Endpoints.server(reactor, "unix:" + socket + ":mode=600")
                      .listen(Factory.of(UnixLineService.Upper::new)));
      assertThat(
              outcome(
                  background, () -> UnixLineService.ask(reactor, "unix:path=" + socket, "hello")))
          .isEqualTo("HELLO");
      EndpointPort tcp =
          background.call(
              () ->
                  Endpoints.server(reactor, "tcp:0:interface=127.0.0.1")
                      .listen(Factory.of(UnixLineService.Upper::new)));
      String port = tcp.describe().replaceAll(".*:", "");
      assertThat(
              outcome(
                  background,
                  () -> UnixLineService.ask(reactor, "tcp:127.0.0.1:" + port, "over tcp")))
          .isEqualTo("OVER TCP");
      outcome(background, unix::stopListening);
      outcome(background, tcp::stopListening);
    }
  }

  @Test
  void udpEchoAnswersTheClientAndAClosedPortIsRefused() throws Exception {
    try (BackgroundReactor background = BackgroundReactor.start(Reactor.create())) {
      Reactor reactor = background.reactor();
      DatagramTransport server =
          background.call(() -> reactor.listenUDP(0, "127.0.0.1", new UdpEcho.Server()));
      int port = background.call(() -> server.getHost().getPort());
      assertThat(
              outcome(
                  background, () -> UdpEcho.ask(reactor, port, "hello", Duration.ofSeconds(30))))
          .isEqualTo("hello");
      outcome(background, server::stopListening);
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      background.execute(
          () -> {
            try {
              UdpEcho.ask(reactor, port, "anyone?", Duration.ofSeconds(30))
                  .addCallbacks(
                      answer -> refused.complete(null),
                      failure -> refused.complete(failure.value()));
            } catch (IOException e) {
              refused.complete(e);
            }
          });
      assertThat(refused.get(30, TimeUnit.SECONDS))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("nothing listens on UDP port " + port);
    }
  }

  @Test
  void echoServerAndClientWithDeferreds() throws Exception {
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      int port =
          background.call(
              () ->
                  background
                      .reactor()
                      .listenTCP(0, "127.0.0.1", Factory.of(EchoServer.Echo::new))
                      .port());
      assertThat(
              outcome(
                  background,
                  () ->
                      EchoClientExample.ask(
                          background.reactor(), port, List.of("one", "two", "three"))))
          .containsExactly("one", "two", "three");
      int library =
          background.call(
              () -> background.reactor().listenTCP(0, "127.0.0.1", Factory.of(Echo::new)).port());
      assertThat(
              outcome(
                  background,
                  () -> EchoClientExample.ask(background.reactor(), library, List.of("x"))))
          .containsExactly("x");
      assertThat(
              outcome(
                  background,
                  () ->
                      EchoClientExample.askInTurn(
                          background.reactor(), port, List.of("four", "five", "six"))))
          .containsExactly("four", "five", "six");
    }
  }

  @Test
  void lineChatBroadcastsToEveryoneElse() {
    Factory<LineChat.User> room = LineChat.room();
    StringTransport alice = new StringTransport();
    alice.connect(room.buildProtocol(alice.getPeer()));
    StringTransport bob = new StringTransport();
    bob.connect(room.buildProtocol(bob.getPeer()));
    assertThat(alice.valueUtf8()).contains("welcome, guest1").contains("* guest2 joined");
    alice.clear();
    bob.clear();
    alice.receive("/nick alice\r\nhi bob\r\n");
    assertThat(bob.valueUtf8()).isEqualTo("* guest1 is now alice\r\nalice: hi bob\r\n");
    assertThat(alice.valueUtf8()).isEqualTo("* guest1 is now alice\r\n");
    bob.peerClose(new ConnectionDone("bye"));
    assertThat(alice.valueUtf8()).endsWith("* guest2 left\r\n");
  }

  @Test
  void httpHelloGreetsByName() {
    StringTransport transport = new StringTransport();
    transport.connect(
        HttpServer.create(new Clock(), HttpHello.router()).buildProtocol(transport.getPeer()));
    transport.receive("GET /hello/you HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8()).startsWith("HTTP/1.1 200 OK").endsWith("Hello, you!\n");
  }

  @Test
  void blockingWorkHashesOnThePoolAndAnswersOnTheReactorThread() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "abc");
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      String hash =
          outcome(
              background,
              () ->
                  BlockingWork.sha256(background.reactor(), file)
                      .addCallback(
                          value -> {
                            assertThat(background.reactor().isReactorThread()).isTrue();
                            return value;
                          }));
      assertThat(hash)
          .isEqualTo(
              HexFormat.of()
                  .formatHex(
                      MessageDigest.getInstance("SHA-256")
                          .digest("abc".getBytes(StandardCharsets.US_ASCII))));
    }
  }

  @Test
  void spawnProcessFeedsInputAndCollectsOutput() throws Exception {
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      SpawnProcess.Outcome outcome =
          outcome(
              background,
              () -> SpawnProcess.run(background.reactor(), List.of("sort"), "pear\napple\nfig\n"));
      assertThat(outcome.output()).isEqualTo("apple\nfig\npear\n");
      assertThat(outcome.exitCode()).isZero();
    }
  }
}
