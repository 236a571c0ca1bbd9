package io.torsion.benchmarks.load;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.protocols.websocket.WebSocketOptions;
import io.torsion.protocols.websocket.WebSocketProtocol;
import io.torsion.protocols.websocket.WebSocketServer;

/**
 * Torsion's side of the WebSocket load test ({@code load/websocket.sh}): {@code /ws} echoes every
 * message whole, through {@link HttpServer}, a {@link Router} and {@link WebSocketServer}, on one
 * reactor thread; frames and messages up to 2 MiB, compression off (the load client offers none).
 *
 * <pre>java -cp benchmarks.jar io.torsion.benchmarks.load.TorsionWebSocketServer PORT epoll|nio
 * </pre>
 */
public final class TorsionWebSocketServer {
  static final int MAX_MESSAGE = 2 << 20;

  private TorsionWebSocketServer() {}

  /** Echoes each message as it arrived. */
  static final class Echo extends WebSocketProtocol {
    @Override
    protected void onText(String text) {
      sendText(text);
    }

    @Override
    protected void onBinary(byte[] data) {
      sendBinary(data);
    }
  }

  /** Serves {@code /ws} on the port given, on the transport given. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String transport = args.length < 2 ? "epoll" : args[1];
    Reactor reactor = Reactor.create(ReactorOptions.builder().transport(transport).build());
    WebSocketOptions options =
        WebSocketOptions.defaults().withLimits(MAX_MESSAGE, MAX_MESSAGE).withCompression(false);
    Router router =
        Router.builder()
            .get(
                "/ws",
                WebSocketServer.builder(reactor, request -> new Echo()).options(options).build())
            .build();
    reactor.listenTCP(port, "127.0.0.1", HttpServer.create(reactor, router));
    System.out.println("torsion-websocket: " + reactor.report().summary() + " 127.0.0.1:" + port);
    reactor.run();
  }
}
