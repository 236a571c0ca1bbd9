package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Deferred;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private final Clock clock = new Clock();
  private final List<Deferred<HttpResponse>> later = new ArrayList<>();

  private final Router router =
      Router.builder()
          .get(
              "/plaintext",
              (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
          .post(
              "/echo",
              (request, params) ->
                  Deferred.succeed(
                      HttpResponse.bytes(200, "application/octet-stream", request.body())))
          .get(
              "/later",
              (request, params) -> {
                Deferred<HttpResponse> d = new Deferred<>();
                later.add(d);
                return d;
              })
          .get(
              "/users/{id}",
              (request, params) ->
                  Deferred.succeed(HttpResponse.text(200, "user " + params.get("id"))))
          .get(
              "/status/{code}",
              (request, params) ->
                  Deferred.succeed(HttpResponse.of(Integer.parseInt(params.get("code")))))
          .get(
              "/files/{name}/raw",
              (request, params) -> Deferred.succeed(HttpResponse.text(200, params.get("name"))))
          .get(
              "/boom",
              (request, params) -> {
                throw new IllegalStateException("secret internals");
              })
          .get(
              "/chunks",
              (request, params) ->
                  Deferred.succeed(
                      HttpResponse.chunked(
                          200,
                          "text/plain",
                          List.of(
                              "ab".getBytes(StandardCharsets.US_ASCII),
                              "cde".getBytes(StandardCharsets.US_ASCII)))))
          .build();

  private StringTransport connect(HttpOptions options) {
    StringTransport transport = new StringTransport();
    transport.connect(HttpServer.create(clock, router, options).buildProtocol(transport.getPeer()));
    return transport;
  }

  private StringTransport connect() {
    return connect(HttpOptions.defaults());
  }

  /** Splits what was written into responses: status line, fields and body, without Date. */
  private static List<String> responses(StringTransport transport) {
    String all = transport.valueUtf8().replaceAll("Date: [^\r]*\r\n", "");
    List<String> out = new ArrayList<>();
    while (!all.isEmpty()) {
      int headEnd = all.indexOf("\r\n\r\n") + 4;
      String head = all.substring(0, headEnd);
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.startsWith("Content-Length: ")) {
          length = Integer.parseInt(line.substring(16));
        }
      }
      if (head.contains("Transfer-Encoding: chunked")) {
        length = all.indexOf("0\r\n\r\n", headEnd) + 5 - headEnd;
      }
      if (head.startsWith("HTTP/1.1 1")
          || head.startsWith("HTTP/1.1 204")
          || head.startsWith("HTTP/1.1 304")) {
        length = 0;
      }
      length = Math.min(length, all.length() - headEnd);
      out.add(all.substring(0, headEnd + length).replace("\r\n", "|"));
      all = all.substring(headEnd + length);
    }
    return out;
  }

  private String exchange(String request) {
    StringTransport transport = connect();
    transport.receive(request);
    return String.join("\n", responses(transport));
  }

  @Test
  void methodsTheServerDoesNotImplementAre501AndKnownOnes405() {
    assertThat(exchange("FOO /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"))
        .startsWith("HTTP/1.1 501 Not Implemented|");
    assertThat(exchange("get /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"))
        .startsWith("HTTP/1.1 501 Not Implemented|");
    assertThat(exchange("DELETE /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"))
        .startsWith("HTTP/1.1 405 Method Not Allowed|")
        .contains("|Allow: GET, HEAD, OPTIONS|");
    assertThat(exchange("PATCH /nowhere HTTP/1.1\r\nHost: h\r\n\r\n"))
        .startsWith("HTTP/1.1 404 Not Found|");
    assertThat(router.methods()).containsExactly("GET", "HEAD", "OPTIONS", "POST");
  }

  @Test
  void optionsIsAnsweredForTheServerAndForAPath() {
    assertThat(exchange("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"))
        .isEqualTo(
            "HTTP/1.1 200 OK|Server: Torsion|Allow: GET, HEAD, OPTIONS, POST|Content-Length: 0||");
    assertThat(exchange("OPTIONS /echo HTTP/1.1\r\nHost: h\r\n\r\n"))
        .isEqualTo("HTTP/1.1 200 OK|Server: Torsion|Allow: OPTIONS, POST|Content-Length: 0||");
    assertThat(exchange("GET * HTTP/1.1\r\nHost: h\r\n\r\n")).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void everyRegisteredStatusHasItsReasonPhrase() {
    assertThat(exchange("GET /status/504 HTTP/1.1\r\nHost: h\r\n\r\n"))
        .startsWith("HTTP/1.1 504 Gateway Timeout|");
    assertThat(exchange("GET /status/502 HTTP/1.1\r\nHost: h\r\n\r\n"))
        .startsWith("HTTP/1.1 502 Bad Gateway|");
    assertThat(exchange("GET /status/599 HTTP/1.1\r\nHost: h\r\n\r\n"))
        .as("an unregistered code has the empty phrase")
        .startsWith("HTTP/1.1 599 |");
    for (int code : new int[] {103, 203, 205, 207, 303, 307, 308, 409, 410, 422, 451, 511}) {
      assertThat(Statuses.reason(code)).as("%d", code).isNotEmpty();
    }
  }

  @Test
  void pathParametersArePercentDecodedAndAbsoluteTargetsRouted() {
    assertThat(exchange("GET /users/J%C3%B6rg%20K+1 HTTP/1.1\r\nHost: h\r\n\r\n"))
        .endsWith("||user J\u00f6rg K+1");
    assertThat(exchange("GET /files/a%2Fb/raw HTTP/1.1\r\nHost: h\r\n\r\n"))
        .as("an encoded slash stays within its segment")
        .endsWith("||a/b");
    assertThat(exchange("GET http://example.org/plaintext HTTP/1.1\r\nHost: h\r\n\r\n"))
        .endsWith("||Hello, World!");
    assertThat(exchange("GET plaintext HTTP/1.1\r\nHost: h\r\n\r\n")).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void theAccessLogIsOffByDefaultAndOneLinePerResponseWhenOn() {
    try (LogLines log = LogLines.of(HttpOptions.ACCESS_LOGGER)) {
      exchange("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(log.records).isEmpty();
      StringTransport transport = connect(HttpOptions.builder().accessLog(true).build());
      transport.receive(
          "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\nGET /users/\"x HTTP/1.1\r\nHost: h\r\n\r\n");
      assertThat(log.atOrAbove(java.util.logging.Level.INFO))
          .hasSize(2)
          .satisfiesExactly(
              line ->
                  assertThat(line)
                      .matches(
                          "\\S+ - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\]"
                              + " \"GET /plaintext HTTP/1.1\" 200 13 \\d+"),
              line -> assertThat(line).contains("] \"-\" 400 "));
    }
  }

  @Test
  void answersWithServerDateAndLength() {
    StringTransport transport = connect();
    transport.receive("GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8())
        .matches(
            "(?s)HTTP/1.1 200 OK\r\nDate: \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n.*");
    assertThat(HttpDates.format(Instant.parse("1994-11-06T08:49:37Z")))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(responses(transport))
        .containsExactly(
            "HTTP/1.1 200 OK|Server: Torsion|Content-Type: text/plain; charset=utf-8|Content-Length: 13||Hello, World!");
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void pipelinedResponsesKeepRequestOrderWhateverOrderHandlersFinishIn() {
    StringTransport transport = connect();
    transport.receive(
        "GET /later HTTP/1.1\r\nHost: h\r\n\r\nGET /later HTTP/1.1\r\nHost: h\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    later.get(1).callback(HttpResponse.text(200, "second"));
    assertThat(transport.value()).isEmpty();
    later.get(0).callback(HttpResponse.text(200, "first"));
    assertThat(responses(transport))
        .extracting(r -> r.substring(r.lastIndexOf('|') + 1))
        .containsExactly("first", "second", "Hello, World!");
  }

  @Test
  void http10ClosesUnlessKeepAliveAndConnectionCloseIsHonoured() {
    StringTransport old = connect();
    old.receive("GET /plaintext HTTP/1.0\r\n\r\nGET /plaintext HTTP/1.0\r\n\r\n");
    assertThat(responses(old)).hasSize(1).allMatch(r -> r.contains("Connection: close"));
    assertThat(old.disconnecting()).isTrue();

    StringTransport kept = connect();
    kept.receive("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assertThat(responses(kept)).singleElement().asString().contains("Connection: keep-alive");
    assertThat(kept.disconnecting()).isFalse();

    StringTransport closed = connect();
    closed.receive("GET /plaintext HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    assertThat(closed.disconnecting()).isTrue();
  }

  @Test
  void headAnswersTheGetHeadersWithoutTheBody() {
    StringTransport transport = connect();
    transport.receive("HEAD /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8()).endsWith("Content-Length: 13\r\n\r\n");
  }

  @Test
  void aMalformedRequestIsAnsweredAfterEarlierOnesAndTheConnectionCloses() {
    StringTransport transport = connect();
    transport.receive(
        "GET /later HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    assertThat(transport.value()).isEmpty();
    later.get(0).callback(HttpResponse.text(200, "first"));
    List<String> answered = responses(transport);
    assertThat(answered).hasSize(2);
    assertThat(answered.get(0)).startsWith("HTTP/1.1 200 OK").endsWith("first");
    assertThat(answered.get(1))
        .startsWith("HTTP/1.1 400 Bad Request")
        .contains("Connection: close")
        .endsWith("more than one Host field\n|".replace("|", ""));
    assertThat(transport.disconnecting()).isTrue();
  }

  @Test
  void aHandlerThatThrowsGives500WithoutItsTextAndOtherRequestsGoOn() {
    StringTransport transport = connect();
    transport.receive(
        "GET /boom HTTP/1.1\r\nHost: h\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n");
    List<String> answered = responses(transport);
    assertThat(answered.get(0))
        .startsWith("HTTP/1.1 500 Internal Server Error")
        .doesNotContain("secret");
    assertThat(answered.get(1)).startsWith("HTTP/1.1 200 OK");
    assertThat(transport.disconnecting()).isFalse();

    StringTransport exposing = connect(HttpOptions.builder().exposeErrors(true).build());
    exposing.receive("GET /boom HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(exposing.valueUtf8()).contains("secret internals");
  }

  @Test
  void expectContinueGetsAnInterimResponseBeforeTheBody() {
    StringTransport transport = connect();
    transport.receive(
        "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    assertThat(transport.valueUtf8()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
    transport.receive("ok");
    assertThat(responses(transport).get(1)).endsWith("ok");
  }

  @Test
  void tooManyPipelinedRequestsPauseReadingUntilResponsesCatchUp() {
    StringTransport transport = connect(HttpOptions.builder().maxPipelined(2).build());
    transport.receive(
        "GET /later HTTP/1.1\r\nHost: h\r\n\r\nGET /later HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.paused()).isTrue();
    later.get(0).callback(HttpResponse.text(200, "one"));
    assertThat(transport.paused()).isFalse();
  }

  @Test
  void chunkedResponsesAreFramedAndFallBackToCloseDelimitedOnHttp10() {
    StringTransport transport = connect();
    transport.receive("GET /chunks HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(transport.valueUtf8())
        .contains("Transfer-Encoding: chunked\r\n\r\n")
        .endsWith("2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n");
    StringTransport old = connect();
    old.receive("GET /chunks HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assertThat(old.valueUtf8())
        .contains("Connection: close")
        .doesNotContain("Content-Length")
        .endsWith("\r\n\r\nabcde");
    assertThat(old.disconnecting()).isTrue();
  }

  @Test
  void aHeadThatArrivesTooSlowlyIs408AndTheConnectionCloses() {
    StringTransport transport = connect();
    transport.receive("GET /plaintext HTTP/1.1\r\nHost: h\r\n");
    clock.advance(Duration.ofSeconds(9));
    transport.receive("X-Slow: 1\r\n"); // trickling does not reset the header timeout
    assertThat(transport.value()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(transport.valueUtf8())
        .startsWith("HTTP/1.1 408 Request Timeout")
        .contains("Connection: close");
    assertThat(transport.disconnecting()).isTrue();
  }

  @Test
  void aBodySlowerThanTheMinimumRateIs408() {
    StringTransport transport = connect();
    transport.receive("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n");
    transport.receive(new byte[6000]); // over 1 KiB/s in the first window
    clock.advance(Duration.ofSeconds(5));
    assertThat(transport.value()).isEmpty();
    transport.receive(new byte[10]); // far under it in the next
    clock.advance(Duration.ofSeconds(5));
    assertThat(transport.valueUtf8())
        .startsWith("HTTP/1.1 408")
        .contains("slower than 1024 bytes/s");
    assertThat(transport.disconnecting()).isTrue();
  }

  @Test
  void anIdleConnectionIsClosedButABusyServerIsNotTimedOut() {
    StringTransport transport = connect();
    transport.receive("GET /later HTTP/1.1\r\nHost: h\r\n\r\n");
    clock.advance(Duration.ofSeconds(120)); // the handler is slow: that is not the peer's fault
    assertThat(transport.disconnecting()).isFalse();
    later.get(0).callback(HttpResponse.text(200, "done"));
    clock.advance(Duration.ofSeconds(59));
    assertThat(transport.disconnecting()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(transport.disconnecting()).isTrue();
    assertThat(clock.pendingCalls()).isZero();
  }

  @Test
  void theRouterAnswers404And405WithAllowAndPassesParameters() {
    StringTransport transport = connect();
    transport.receive(
        "GET /nowhere HTTP/1.1\r\nHost: h\r\n\r\nDELETE /plaintext HTTP/1.1\r\nHost: h\r\n\r\n"
            + "GET /users/42 HTTP/1.1\r\nHost: h\r\n\r\nGET /users/ HTTP/1.1\r\nHost: h\r\n\r\n");
    List<String> answered = responses(transport);
    assertThat(answered.get(0)).startsWith("HTTP/1.1 404");
    assertThat(answered.get(1)).startsWith("HTTP/1.1 405").contains("Allow: GET, HEAD");
    assertThat(answered.get(2)).endsWith("user 42");
    assertThat(answered.get(3)).startsWith("HTTP/1.1 404");
  }
}
