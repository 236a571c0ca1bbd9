package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.ConnectionLost;
import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streamed request bodies and streamed responses, on the in-memory transport and clock. */
class HttpStreamingTest {
  private final Clock clock = new Clock();
  private final List<ResponseBody> bodies = new ArrayList<>();
  private final List<String> received = new ArrayList<>();
  private final List<Deferred<HttpResponse>> answers = new ArrayList<>();
  private int writerCalls;

  private final Router router =
      Router.builder()
          .streaming(
              "POST",
              "/echo",
              (request, params) ->
                  Deferred.succeed(
                      HttpResponse.streamed(
                          200,
                          "application/octet-stream",
                          body -> {
                            request.bodyStream().deliverTo(BodyReceiver.into(body));
                            body.registerProducer(request.bodyStream());
                          })))
          .streaming(
              "POST",
              "/record",
              (request, params) -> {
                request.bodyStream().deliverTo(recorder());
                Deferred<HttpResponse> answer = new Deferred<>();
                answers.add(answer);
                return answer;
              })
          .streaming(
              "POST",
              "/ignore",
              (request, params) -> Deferred.succeed(HttpResponse.text(200, "not read")))
          .streaming(
              "POST",
              "/unread",
              (request, params) -> {
                Deferred<HttpResponse> answer = new Deferred<>();
                answers.add(answer);
                return answer;
              })
          .get(
              "/held",
              (request, params) ->
                  Deferred.succeed(
                      HttpResponse.streamed(
                          200,
                          "text/plain",
                          body -> {
                            writerCalls++;
                            bodies.add(body);
                          })))
          .get(
              "/sized",
              (request, params) ->
                  Deferred.succeed(
                      HttpResponse.streamed(
                          200,
                          "text/plain",
                          5,
                          body -> {
                            writerCalls++;
                            bodies.add(body);
                          })))
          .get(
              "/pulled",
              (request, params) ->
                  Deferred.succeed(
                      HttpResponse.streamed(
                          200,
                          "text/plain",
                          body ->
                              body.registerProducer(
                                  new PullProducer() {
                                    private int left = 3;

                                    @Override
                                    public void resumeProducing() {
                                      if (left-- > 0) {
                                        body.write(
                                            ("part" + left).getBytes(StandardCharsets.US_ASCII));
                                      } else {
                                        body.finish();
                                      }
                                    }

                                    @Override
                                    public void stopProducing() {}
                                  }))))
          .get(
              "/plaintext",
              (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
          .build();

  private BodyReceiver recorder() {
    return new BodyReceiver() {
      @Override
      public void bodyData(ByteBuffer data) {
        received.add(StandardCharsets.US_ASCII.decode(data).toString());
      }

      @Override
      public void bodyEnd(HttpHeaders trailers) {
        received.add("end " + trailers);
      }

      @Override
      public void bodyFailed(Failure reason) {
        received.add("failed " + reason.message());
      }
    };
  }

  private StringTransport connect(HttpOptions options) {
    StringTransport transport = new StringTransport();
    transport.connect(HttpServer.create(clock, router, options).buildProtocol(transport.getPeer()));
    return transport;
  }

  private StringTransport connect() {
    return connect(HttpOptions.defaults());
  }

  private static String body(StringTransport transport) {
    String all = transport.valueUtf8();
    return all.substring(all.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void aStreamedEchoAnswersEachPieceAsItArrivesAndTheConnectionGoesOn() {
    StringTransport transport = connect();
    transport.receive("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello");
    assertThat(transport.valueUtf8())
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Transfer-Encoding: chunked\r\n");
    assertThat(body(transport)).isEqualTo("5\r\nhello\r\n");
    transport.receive(" world");
    assertThat(body(transport)).isEqualTo("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    transport.clear();
    transport.receive("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8()).endsWith("Hello, World!");
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void aMalformedChunkedBodyOnAStreamingRouteIsAnsweredWhenNoneOfTheResponseHasLeft() {
    String head = "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    String[][] bodies = {
      {"0x3\r\nabc\r\n0\r\n\r\n", "400 Bad Request"},
      {"+3\r\nabc\r\n0\r\n\r\n", "400 Bad Request"},
      {" 3\r\nabc\r\n", "400 Bad Request"},
      {"-3\r\nabc\r\n", "400 Bad Request"},
      {"1_0\r\n", "400 Bad Request"},
      {"3;a=\u0000\r\nabc\r\n", "400 Bad Request"},
      {"3;a\nb\r\nabc\r\n", "400 Bad Request"},
      {"3\r\nabcdef\r\n0\r\n\r\n", "400 Bad Request"},
      {"1".repeat(17) + "\r\n", "400 Bad Request"},
      {"f".repeat(24) + "\r\n", "400 Bad Request"},
      {"3;" + "x".repeat(1100) + "\r\nabc\r\n", "400 Bad Request"},
      {"3\r\nabc\r\n0\r\nX: " + "y".repeat(20_000) + "\r\n\r\n", "431 Request Header Fields"},
    };
    try (LogLines log = LogLines.of(HttpServer.class.getName())) {
      for (String[] body : bodies) {
        StringTransport transport = connect();
        transport.receive(head + body[0]);
        assertThat(transport.valueUtf8())
            .as(body[0])
            .startsWith("HTTP/1.1 " + body[1])
            .contains("Connection: close\r\n")
            .doesNotContain("200 OK");
        assertThat(transport.disconnecting()).isTrue();
        assertThat(transport.aborted()).isFalse();
      }
      assertThat(log.atOrAbove(java.util.logging.Level.INFO))
          .as("a peer's malformed body is not a server problem")
          .isEmpty();
    }
  }

  @Test
  void aMalformedChunkAfterTheResponseBeganCutsTheConnectionQuietly() {
    try (LogLines log = LogLines.of(HttpServer.class.getName())) {
      StringTransport transport = connect();
      transport.receive(
          "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
      assertThat(transport.valueUtf8()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("abc\r\n");
      transport.receive("zz\r\n");
      assertThat(transport.aborted()).as("a response under way cannot be taken back").isTrue();
      assertThat(log.atOrAbove(java.util.logging.Level.INFO)).isEmpty();
    }
  }

  @Test
  void expectContinueOnAStreamingRouteGets100BeforeTheHandlersAnswer() {
    StringTransport transport = connect();
    transport.receive(
        "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    assertThat(transport.valueUtf8())
        .startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n");
    transport.receive("abc");
    assertThat(transport.valueUtf8()).endsWith("\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

    StringTransport chunked = connect();
    chunked.receive(
        "POST /record HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n");
    assertThat(chunked.valueUtf8()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

    StringTransport http10 = connect();
    http10.receive("POST /record HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    assertThat(http10.valueUtf8()).as("no interim response to HTTP/1.0").isEmpty();
  }

  @Test
  void aChunkedUploadStreamsWithItsTrailers() {
    StringTransport transport = connect();
    transport.receive(
        "POST /record HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    assertThat(received).containsExactly("abc");
    transport.receive("2\r\nde\r\n0\r\nDigest: x\r\n\r\n");
    assertThat(received).containsExactly("abc", "de", "end HttpHeaders[digest: x]");
    answers.get(0).callback(HttpResponse.of(204));
    assertThat(transport.valueUtf8()).startsWith("HTTP/1.1 204 No Content\r\n");
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void aFullResponseBodyPausesReadingTheRequestUntilTheClientCatchesUp() {
    StringTransport transport = connect();
    transport.receive("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc");
    PushProducer requestBody = (PushProducer) transport.producer();
    requestBody.pauseProducing(); // what the socket does when the client stops reading
    transport.receive("def");
    assertThat(transport.paused()).as("reading from the socket paused").isTrue();
    assertThat(body(transport)).isEqualTo("3\r\nabc\r\n");
    requestBody.resumeProducing();
    assertThat(transport.paused()).isFalse();
    assertThat(body(transport)).isEqualTo("3\r\nabc\r\n3\r\ndef\r\n");
    transport.receive("ghi");
    assertThat(body(transport)).endsWith("3\r\nghi\r\n0\r\n\r\n");
  }

  @Test
  void aBodyWithoutAReceiverIsNotReadAndItsSlownessIsNotThePeers() {
    StringTransport transport = connect();
    transport.receive("POST /unread HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\nabc");
    assertThat(transport.paused()).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(transport.valueUtf8()).isEmpty();
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void anAnswerThatLeavesTheBodyUnreadClosesTheConnection() {
    StringTransport transport = connect();
    transport.receive("POST /ignore HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc");
    assertThat(transport.valueUtf8())
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Connection: close\r\n")
        .endsWith("not read");
    assertThat(transport.disconnecting()).isTrue();
  }

  @Test
  void aPeerThatVanishesMidBodyFailsTheBody() {
    StringTransport transport = connect();
    transport.receive("POST /record HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc");
    transport.peerClose(new ConnectionLost("peer reset", null));
    assertThat(received).hasSize(2).first().isEqualTo("abc");
    assertThat(received.get(1)).startsWith("failed").contains("peer reset");
  }

  @Test
  void aTooSlowStreamedBodyIs408InsteadOfTheHandlersAnswer() {
    StringTransport transport = connect(HttpOptions.builder().minBodyRate(100).build());
    transport.receive("POST /record HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\nabc");
    clock.advance(Duration.ofSeconds(HttpOptions.BODY_RATE_WINDOW_SECONDS));
    assertThat(transport.valueUtf8()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
    assertThat(received.get(received.size() - 1))
        .startsWith("failed")
        .contains("slower than 100 bytes/s");
    assertThat(answers.get(0).called()).as("the handler's answer was cancelled").isTrue();
    assertThat(transport.disconnecting()).isTrue();
  }

  @Test
  void aStreamedResponseHoldsBackThePipelinedOnesAfterIt() {
    StringTransport transport = connect();
    transport.receive(
        "GET /held HTTP/1.1\r\nHost: h\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8()).doesNotContain("Hello");
    bodies.get(0).write("first".getBytes(StandardCharsets.US_ASCII));
    assertThat(transport.valueUtf8()).doesNotContain("Hello");
    bodies.get(0).finish();
    assertThat(transport.valueUtf8())
        .contains("5\r\nfirst\r\n0\r\n\r\nHTTP/1.1 200 OK")
        .endsWith("Hello, World!");
    assertThatThrownBy(() -> bodies.get(0).write(new byte[1]))
        .isInstanceOf(IllegalStateException.class);
    assertThat(bodies.get(0).isOpen()).isFalse();
  }

  @Test
  void aDeclaredLengthIsKeptOrTheConnectionIsAborted() {
    StringTransport exact = connect();
    exact.receive("GET /sized HTTP/1.1\r\nHost: h\r\n\r\n");
    bodies.get(0).write("abcde".getBytes(StandardCharsets.US_ASCII));
    bodies.get(0).finish();
    assertThat(exact.valueUtf8()).contains("Content-Length: 5\r\n").endsWith("\r\n\r\nabcde");
    assertThat(exact.aborted()).isFalse();

    StringTransport shorter = connect();
    shorter.receive("GET /sized HTTP/1.1\r\nHost: h\r\n\r\n");
    bodies.get(1).write("abc".getBytes(StandardCharsets.US_ASCII));
    bodies.get(1).finish();
    assertThat(shorter.aborted()).as("a short body must not look complete").isTrue();

    StringTransport longer = connect();
    longer.receive("GET /sized HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThatThrownBy(() -> bodies.get(2).write("abcdef".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declared 5");
    assertThat(longer.aborted()).isTrue();
  }

  @Test
  void headGetsTheHeadOfAStreamedResponseAndTheWriterIsNotCalled() {
    StringTransport transport = connect();
    transport.receive("HEAD /held HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8())
        .contains("Transfer-Encoding: chunked\r\n")
        .endsWith("\r\n\r\n");
    assertThat(writerCalls).isZero();
    transport.receive("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8()).endsWith("Hello, World!");
  }

  @Test
  void aPullProducerDrivesAStreamedResponse() {
    StringTransport transport = connect();
    transport.receive("GET /pulled HTTP/1.1\r\nHost: h\r\n\r\n");
    PullProducer producer = (PullProducer) transport.producer();
    while (transport.producer() != null) {
      producer.resumeProducing(); // what the socket does whenever it has room
    }
    assertThat(body(transport)).isEqualTo("5\r\npart2\r\n5\r\npart1\r\n5\r\npart0\r\n0\r\n\r\n");
  }

  @Test
  void aResponseHeaderCannotForgeFields() {
    assertThatThrownBy(() -> HttpResponse.of(200).header("X", "a\r\nSet-Cookie: evil"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpResponse.of(200).header("X Y", "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
