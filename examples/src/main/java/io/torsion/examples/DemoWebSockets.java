package io.torsion.examples;

import io.torsion.ReactorTime;
import io.torsion.protocols.websocket.CloseStatus;
import io.torsion.protocols.websocket.WebSocketOptions;
import io.torsion.protocols.websocket.WebSocketProtocol;
import io.torsion.protocols.websocket.WebSocketServer;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * The demo's WebSocket endpoints, on its HTTP and HTTPS ports: {@code /ws/echo} echoes every
 * message (piece by piece as it arrives, so a message of any size goes back with flat memory, and a
 * client that does not read stops the echo), for Autobahn|Testsuite and for trying a client; {@code
 * /ws} is the shared {@link Board} live: one text message {@code key=value} per entry when it
 * opens, then one per change (from an HTTP PUT, the line protocol's SET or another WebSocket), and
 * a {@code key=value} text message it receives sets that key.
 */
final class DemoWebSockets {
  /** The largest frame the echo takes (Autobahn sends 16 MiB messages in one frame). */
  static final int ECHO_MAX_FRAME = 20 << 20;

  private DemoWebSockets() {}

  static WebSocketServer echo(ReactorTime time) {
    return WebSocketServer.builder(time, request -> new Echo())
        .options(WebSocketOptions.defaults().withLimits(ECHO_MAX_FRAME, ECHO_MAX_FRAME))
        .build();
  }

  static WebSocketServer board(ReactorTime time, Board board) {
    return WebSocketServer.builder(time, request -> new BoardFeed(board)).build();
  }

  /** Sends each piece back as it comes; the transport holds reads while its output backs up. */
  static final class Echo extends WebSocketProtocol {
    @Override
    protected boolean receivesFragments() {
      return true;
    }

    @Override
    protected void onFragment(ByteBuffer data, boolean text, boolean last) {
      sendFragment(data, text, last);
    }
  }

  /** One browser (or any client) watching the board. */
  static final class BoardFeed extends WebSocketProtocol {
    private final Board board;
    private final BiConsumer<String, String> watcher = (key, value) -> sendText(key + "=" + value);

    BoardFeed(Board board) {
      this.board = board;
    }

    @Override
    protected void onOpen() {
      board.watch(watcher); // first, so that no change falls between the snapshot and the feed
      board
          .entries()
          .addCallbacks(
              entries -> {
                entries.forEach((key, value) -> sendText(key + "=" + value));
                return null;
              },
              failure -> {
                sendText("error: " + Board.why(failure.value()));
                return null;
              });
    }

    @Override
    protected void onText(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        sendText("error: send key=value");
        return;
      }
      board
          .set(text.substring(0, eq).strip(), text.substring(eq + 1).strip())
          .addErrback(
              failure -> {
                sendText("error: " + Board.why(failure.value()));
                return null;
              });
    }

    @Override
    protected void onClose(CloseStatus status) {
      board.unwatch(watcher);
    }
  }
}
