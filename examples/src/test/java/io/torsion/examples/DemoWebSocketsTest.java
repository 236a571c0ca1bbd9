package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.websocket.WebSocketClient;
import io.torsion.protocols.websocket.WebSocketOptions;
import io.torsion.protocols.websocket.WebSocketProtocol;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The demo's WebSocket endpoints over real sockets, with Torsion's own client. */
class DemoWebSocketsTest {

  /** Queues what it hears. */
  static final class Listener extends WebSocketProtocol {
    final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();

    @Override
    protected void onText(String text) {
      heard.add(text);
    }

    @Override
    protected void onBinary(byte[] data) {
      heard.add(data);
    }

    Object next() throws InterruptedException {
      Object got = heard.poll(30, TimeUnit.SECONDS);
      assertThat(got).as("a message within 30 s").isNotNull();
      return got;
    }
  }

  private static Listener open(BackgroundReactor background, String uri, WebSocketOptions options) {
    Listener listener = new Listener();
    CompletableFuture<Listener> opened = new CompletableFuture<>();
    background.execute(
        () ->
            WebSocketClient.to(uri)
                .options(options)
                .connect(background.reactor(), listener)
                .addCallbacks(opened::complete, f -> opened.completeExceptionally(f.value())));
    return opened.orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void theEchoSendsEveryMessageBackAndTheBoardFeedIsLive() throws Exception {
    Board board = new LocalBoard();
    try (BackgroundReactor background = BackgroundReactor.start(Reactor.create())) {
      Reactor reactor = background.reactor();
      int port =
          background.call(
              () ->
                  reactor
                      .listenTCP(
                          0,
                          "127.0.0.1",
                          HttpServer.create(reactor, DemoHttp.router(reactor, board)))
                      .port());
      background.execute(() -> board.set("color", "blue"));

      Listener echo =
          open(
              background,
              "ws://127.0.0.1:" + port + "/ws/echo",
              WebSocketOptions.defaults().withLimits(16 << 20, 16 << 20));
      byte[] big = new byte[12 << 20];
      big[big.length - 1] = 42;
      background.execute(() -> echo.sendBinary(big));
      assertThat((byte[]) echo.next()).isEqualTo(big);
      background.execute(() -> echo.sendText("κόσμε ".repeat(1000)));
      assertThat(echo.next()).isEqualTo("κόσμε ".repeat(1000));

      Listener feed =
          open(background, "ws://127.0.0.1:" + port + "/ws", WebSocketOptions.defaults());
      assertThat(feed.next()).isEqualTo("color=blue"); // the board as it is
      background.execute(() -> board.set("shape", "round")); // as a PUT or SET would
      assertThat(feed.next()).isEqualTo("shape=round");
      background.execute(() -> feed.sendText("size=large"));
      assertThat(feed.next()).isEqualTo("size=large"); // its own change comes back too
      assertThat(
              background.call(
                  () -> io.torsion.testing.DeferredResults.successResultOf(board.get("size"))))
          .isEqualTo("large");
      background.execute(() -> feed.sendText("nonsense"));
      assertThat(feed.next()).isEqualTo("error: send key=value");
    }
  }
}
