package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.protocols.http.HttpServer;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoHttpTest {
  private final Clock clock = new Clock();
  private final LocalBoard board = new LocalBoard();

  private StringTransport connect() {
    StringTransport transport = new StringTransport();
    transport.connect(
        HttpServer.create(clock, DemoHttp.router(clock, board)).buildProtocol(transport.getPeer()));
    return transport;
  }

  @Test
  void plaintextAndEcho() {
    StringTransport transport = connect();
    transport.receive(
        "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nContent-Type: text/x\r\nContent-Length: 4\r\n\r\nabcd");
    assertThat(transport.valueUtf8())
        .contains("Hello, World!")
        .contains("Content-Type: text/x")
        .endsWith("abcd");
  }

  @Test
  void delayAnswersOnTheClockWithoutBlocking() {
    StringTransport transport = connect();
    transport.receive("GET /delay?ms=250 HTTP/1.1\r\nHost: h\r\n\r\n");
    clock.advance(Duration.ofMillis(249));
    assertThat(transport.value()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(transport.valueUtf8()).endsWith("waited 250 ms\n");
    transport.clear();
    transport.receive("GET /delay?ms=-1 HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8()).startsWith("HTTP/1.1 400");
  }

  @Test
  void streamSendsChunks() {
    StringTransport transport = connect();
    transport.receive("GET /stream?chunks=3 HTTP/1.1\r\nHost: h\r\n\r\n");
    // The connection asks the pull producer for a chunk each time the socket has room, as on a
    // socket; in memory there is always room, so all three are sent, and the producer is gone.
    assertThat(transport.producer()).as("unregistered after the last chunk").isNull();
    assertThat(transport.valueUtf8())
        .contains("Transfer-Encoding: chunked")
        .endsWith("8\r\nchunk 0\n\r\n8\r\nchunk 1\n\r\n8\r\nchunk 2\n\r\n0\r\n\r\n");
  }

  @Test
  void theBoardIsSharedWithLineClientsWhoWatchIt() {
    CommandProtocol.Server lines =
        new CommandProtocol.Server(clock, java.time.Clock.systemUTC(), board);
    StringTransport watcher = new StringTransport();
    watcher.connect(lines.buildProtocol(watcher.getPeer()));
    watcher.receive("WATCH\r\nSET color blue\r\n");
    StringTransport http = connect();
    http.receive(
        "PUT /kv/size HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nlarge"
            + "GET /kv/color HTTP/1.1\r\nHost: h\r\n\r\nGET /kv HTTP/1.1\r\nHost: h\r\n\r\n"
            + "PUT /kv/bad%20key HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx");
    assertThat(watcher.valueUtf8())
        .endsWith("WATCHING\r\nUPDATE color blue\r\nOK\r\nUPDATE size large\r\n");
    assertThat(http.valueUtf8())
        .contains("HTTP/1.1 204 No Content")
        .contains("\r\n\r\nblue\n")
        .contains("color=blue\nsize=large\n")
        .contains("HTTP/1.1 400 Bad Request");
    watcher.receive("UNWATCH\r\nGET size\r\n");
    assertThat(watcher.valueUtf8()).endsWith("OK\r\nVALUE large\r\n");
  }
}
