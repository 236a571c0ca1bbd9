package io.torsion.examples;

import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ReactorTime;
import io.torsion.protocols.line.LineOptions;
import io.torsion.protocols.line.LineReceiver;
import io.torsion.tls.TlsServerOptions;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The demo's line-based command protocol, for remote command-line clients ({@code nc}, telnet):
 * {@code HELP}, {@code ECHO <text>}, {@code TIME}, {@code STATS}, {@code QUIT}, {@code STARTTLS}
 * when the demo has a certificate (the rest of the session is TLS), and the shared {@link Board}:
 * {@code GET <key>}, {@code SET <key> <value>}, {@code WATCH} (every change is pushed as {@code
 * UPDATE <key> <value>}, including those made over HTTP), {@code UNWATCH}. Unknown commands get an
 * error line and the connection stays open. The argument is everything after the first space, byte
 * for byte; a line ends with LF or CRLF.
 *
 * <pre>
 * $ nc 127.0.0.1 8001
 * ECHO hello
 * hello
 * QUIT
 * BYE
 * </pre>
 */
final class CommandProtocol extends LineReceiver {
  static final String HELP =
      "COMMANDS: HELP, ECHO <text>, TIME, STATS, GET <key>, SET <key> <value>, WATCH, UNWATCH, QUIT";

  private final Server server;
  private final BiConsumer<String, String> watcher =
      (key, value) -> sendLine("UPDATE " + key + " " + value);
  private boolean watching;

  /** People type into this protocol: {@code nc} sends LF, telnet CRLF; both end a line. */
  static final LineOptions LINES = LineOptions.builder().acceptBareLf(true).build();

  CommandProtocol(Server server) {
    super(LINES);
    this.server = server;
  }

  /** The shared state of every command connection: counters and clocks. */
  static final class Server implements Factory<CommandProtocol> {
    private final ReactorTime time;
    private final Clock wallClock;
    private final Board board;
    private final TlsServerOptions tls; // STARTTLS upgrades with it; null: no STARTTLS
    private final long startedNanos;
    private int connected;
    private long commands;

    Server(ReactorTime time, Clock wallClock, Board board) {
      this(time, wallClock, board, null);
    }

    Server(ReactorTime time, Clock wallClock, Board board, TlsServerOptions tls) {
      this.time = time;
      this.wallClock = wallClock;
      this.board = board;
      this.tls = tls;
      this.startedNanos = time.nanoTime();
    }

    @Override
    public CommandProtocol buildProtocol(SocketAddress peer) {
      return new CommandProtocol(this);
    }
  }

  @Override
  public void connectionMade() {
    server.connected++;
    sendLine("WELCOME to the Torsion demo. " + help());
  }

  private String help() {
    return server.tls == null ? HELP : HELP + ", STARTTLS";
  }

  @Override
  public void lineReceived(String line) {
    server.commands++;
    // The command is the first word; everything after the first space is the argument, byte for
    // byte.
    int space = line.indexOf(' ');
    String command = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    String argument = space < 0 ? "" : line.substring(space + 1);
    switch (command) {
      case "HELP" -> sendLine(help());
      case "STARTTLS" -> startTls();
      case "ECHO" -> sendLine(argument);
      case "TIME" -> sendLine(Instant.now(server.wallClock).toString());
      case "STATS" ->
          sendLine(
              "connections="
                  + server.connected
                  + " commands="
                  + server.commands
                  + " uptime="
                  + Duration.ofNanos(server.time.nanoTime() - server.startedNanos).toSeconds()
                  + "s");
      case "GET" ->
          answer(server.board.get(argument).addCallback(v -> v == null ? "NONE" : "VALUE " + v));
      case "SET" -> {
        int gap = argument.indexOf(' ');
        answer(
            server
                .board
                .set(
                    gap < 0 ? argument : argument.substring(0, gap),
                    gap < 0 ? "" : argument.substring(gap + 1))
                .addCallback(done -> "OK"));
      }
      case "WATCH" -> {
        if (!watching) {
          watching = true;
          server.board.watch(watcher);
        }
        sendLine("WATCHING");
      }
      case "UNWATCH" -> {
        watching = false;
        server.board.unwatch(watcher);
        sendLine("OK");
      }
      case "QUIT" -> {
        sendLine("BYE");
        transport().loseConnection();
      }
      case "" -> sendLine("ERROR empty command; " + help());
      default -> sendLine("ERROR unknown command " + command + "; " + help());
    }
  }

  /**
   * Sends the board's answer once it is there (at once from a local board; from Redis after a round
   * trip), reading no further line meanwhile, so answers keep the order of their commands.
   */
  private void answer(Deferred<String> reply) {
    boolean waiting = !reply.called();
    if (waiting) {
      pauseProducing();
    }
    reply.addBoth(
        (line, failure) -> {
          if (connected()) {
            sendLine(failure == null ? line : "ERROR " + Board.why(failure.value()));
            if (waiting) {
              resumeProducing();
            }
          }
          return null;
        });
  }

  /**
   * STARTTLS: one line of answer in plaintext, then the TLS handshake on this connection (the
   * client's first TLS bytes may already be buffered after the command), then the same commands.
   */
  private void startTls() {
    if (server.tls == null) {
      sendLine("ERROR STARTTLS needs a certificate: start the demo with --https-port or --cert");
    } else if (transport().tls() != null) {
      sendLine("ERROR this connection speaks TLS already");
    } else {
      sendLine("OK begin TLS");
      transport().startTLS(server.tls, clearLineBuffer());
    }
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    server.connected--;
    server.board.unwatch(watcher);
  }
}
