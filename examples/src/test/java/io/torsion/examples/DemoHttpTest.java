package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.PullProducer;
import io.torsion.protocols.http.HttpServer;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoHttpTest {
  private final Clock clock = new Clock();

  private StringTransport connect() {
    StringTransport transport = new StringTransport();
    transport.connect(HttpServer.create(clock, DemoHttp.router(clock)).buildProtocol(transport.getPeer()));
    return transport;
  }

  @Test
  void plaintextAndEcho() {
    StringTransport transport = connect();
    transport.receive("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nContent-Type: text/x\r\nContent-Length: 4\r\n\r\nabcd");
    assertThat(transport.valueUtf8()).contains("Hello, World!").contains("Content-Type: text/x").endsWith("abcd");
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
    PullProducer producer = (PullProducer) transport.producer();
    for (int turn = 0; turn < 4; turn++) {
      assertThat(transport.producer()).as("registered until the last chunk").isSameAs(producer);
      producer.resumeProducing(); // what the socket does each time it has room
    }
    assertThat(transport.producer()).isNull();
    assertThat(transport.valueUtf8()).contains("Transfer-Encoding: chunked")
        .endsWith("8\r\nchunk 0\n\r\n8\r\nchunk 1\n\r\n8\r\nchunk 2\n\r\n0\r\n\r\n");
  }
}
