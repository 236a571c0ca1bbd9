package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RequestParserTest {
  private static final HttpOptions SMALL =
      HttpOptions.builder()
          .maxRequestLineLength(64)
          .maxHeaderSize(256)
          .maxHeaderCount(8)
          .maxBodySize(32)
          .build();

  /**
   * Parses {@code input} fed through {@code feed}, as events: requests, 100-continue, the error.
   * With {@code streamed}, every body streams through the listener, which takes a piece only every
   * other time it is asked (the parser must keep the rest until asked again), and a request's event
   * is written when its body ends, in the same form as a whole request's.
   */
  private static List<String> parse(
      HttpOptions options, byte[] input, Consumer<Consumer<byte[]>> feed, boolean streamed) {
    List<String> events = new ArrayList<>();
    RequestParser parser =
        new RequestParser(
            options,
            new RequestParser.Listener() {
              private HttpRequest head;
              private final ByteArrayOutputStream body = new ByteArrayOutputStream();
              private boolean accept;

              @Override
              public boolean headReceived(HttpRequest request, long length) {
                head = request;
                body.reset();
                return streamed;
              }

              @Override
              public void request(HttpRequest request) {
                events.add(describe(request, request.body(), request.trailers()));
              }

              @Override
              public boolean acceptsBody() {
                accept = !accept;
                return accept;
              }

              @Override
              public void bodyData(ByteBuffer data) {
                byte[] piece = new byte[data.remaining()];
                data.get(piece);
                body.writeBytes(piece);
              }

              @Override
              public void bodyEnd(HttpHeaders trailers) {
                events.add(describe(head, body.toByteArray(), trailers));
              }

              @Override
              public void expectContinue() {
                events.add("100-continue");
              }
            });
    boolean[] failed = {false};
    feed.accept(
        piece -> {
          if (failed[0]) {
            return;
          }
          try {
            parser.feed(ByteBuffer.wrap(piece));
            for (int again = 0; streamed && again < 4; again++) {
              parser.feed(ByteBuffer.allocate(0)); // asks again: what was held back goes on
            }
          } catch (HttpError e) {
            failed[0] = true;
            events.add(e.status() + " " + e.getMessage());
          }
        });
    return events;
  }

  private static List<String> parse(
      HttpOptions options, byte[] input, Consumer<Consumer<byte[]>> feed) {
    return parse(options, input, feed, false);
  }

  private static String describe(HttpRequest request, byte[] body, HttpHeaders trailers) {
    StringBuilder event =
        new StringBuilder(request.method() + " " + request.target() + " " + request.version());
    for (int i = 0; i < request.headers().size(); i++) {
      event
          .append(" [")
          .append(request.headers().name(i))
          .append('=')
          .append(request.headers().value(i))
          .append(']');
    }
    if (body.length > 0) {
      event.append(" body=").append(new String(body, StandardCharsets.ISO_8859_1));
    }
    if (trailers.size() > 0) {
      event.append(" trailers=").append(trailers);
    }
    return event.toString();
  }

  /**
   * Every way the input can arrive must give the same events, whole bodies or streamed (but for the
   * body size limit, which streamed bodies do not have); returns them.
   */
  private static List<String> everyWay(HttpOptions options, String text) {
    byte[] input = text.getBytes(StandardCharsets.ISO_8859_1);
    List<String> whole = parse(options, input, feed -> feed.accept(input));
    for (boolean streamed : new boolean[] {false, true}) {
      if (streamed && whole.stream().anyMatch(event -> event.startsWith("413"))) {
        continue;
      }
      List<String> bytewise =
          parse(
              options,
              input,
              feed -> {
                for (byte b : input) {
                  feed.accept(new byte[] {b});
                }
              },
              streamed);
      assertThat(bytewise).as("byte by byte, streamed=%s", streamed).isEqualTo(whole);
      for (int split = 0; split <= input.length; split++) {
        int at = split;
        List<String> halves =
            parse(
                options,
                input,
                feed -> {
                  feed.accept(Arrays.copyOfRange(input, 0, at));
                  feed.accept(Arrays.copyOfRange(input, at, input.length));
                },
                streamed);
        assertThat(halves).as("split at %d, streamed=%s", at, streamed).isEqualTo(whole);
      }
    }
    return whole;
  }

  private static List<String> everyWay(String text) {
    return everyWay(HttpOptions.defaults(), text);
  }

  // ---------------------------------------------------------------- valid traffic

  @Test
  void parsesASimpleGet() {
    assertThat(everyWay("GET /plaintext?x=1 HTTP/1.1\r\nHost: example\r\nAccept:  */*  \r\n\r\n"))
        .containsExactly("GET /plaintext?x=1 HTTP/1.1 [Host=example] [Accept=*/*]");
  }

  @Test
  void parsesPipelinedRequestsInOrderWithBodies() {
    assertThat(
            everyWay(
                "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /b HTTP/1.0\r\n\r\n"))
        .containsExactly(
            "POST /echo HTTP/1.1 [Host=h] [Content-Length=5] body=hello",
            "GET /a HTTP/1.1 [Host=h]",
            "GET /b HTTP/1.0");
  }

  @Test
  void parsesChunkedBodiesWithExtensionsAndTrailers() {
    assertThat(
            everyWay(
                "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n6 \r\n world\r\n0\r\nChecksum: abc\r\n\r\n"))
        .containsExactly(
            "POST /up HTTP/1.1 [Host=h] [Transfer-Encoding=chunked] body=hello world"
                + " trailers=HttpHeaders[checksum: abc]");
  }

  @Test
  void signalsExpectContinueBeforeTheBodyArrives() {
    List<String> events =
        parse(
            HttpOptions.defaults(),
            "PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII),
            feed ->
                feed.accept(
                    "PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
    assertThat(events).containsExactly("100-continue");
  }

  @Test
  void toleratesOneEmptyLineBeforeARequestButNotTwo() {
    assertThat(everyWay("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        .containsExactly("GET / HTTP/1.1 [Host=h]");
    assertThat(everyWay("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        .containsExactly("400 too many empty lines before the request line");
  }

  @Test
  void aLimitExactlyReachedIsStillAccepted() {
    String line = "GET /" + "a".repeat(64 - 14) + " HTTP/1.1"; // exactly 64 bytes
    assertThat(line).hasSize(64);
    assertThat(everyWay(SMALL, line + "\r\nHost: h\r\nContent-Length: 32\r\n\r\n" + "b".repeat(32)))
        .hasSize(1);
  }

  // ---------------------------------------------------------------- limits

  @Test
  void limitsAnswerWithTheirStatus() {
    String host = "\r\nHost: h";
    assertThat(everyWay(SMALL, "GET /" + "a".repeat(60) + " HTTP/1.1\r\n\r\n"))
        .containsExactly("414 request line longer than 64 bytes");
    assertThat(everyWay(SMALL, "GET / HTTP/1.1" + host + "\r\nX: " + "v".repeat(300) + "\r\n\r\n"))
        .containsExactly("431 header section larger than 256 bytes");
    assertThat(
            everyWay(
                SMALL,
                "GET / HTTP/1.1"
                    + host
                    + "\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\nG: 1\r\nH: 1\r\n\r\n"))
        .containsExactly("431 more than 8 header fields");
    assertThat(everyWay(SMALL, "POST / HTTP/1.1" + host + "\r\nContent-Length: 33\r\n\r\n"))
        .containsExactly("413 body of 33 bytes, over the limit of 32");
    assertThat(
            everyWay(
                SMALL,
                "POST / HTTP/1.1"
                    + host
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n"
                    + "x".repeat(32)
                    + "\r\n1\r\n"))
        .containsExactly("413 chunked body larger than 32 bytes");
    assertThat(everyWay("GET / HTTP/2.0\r\n\r\n"))
        .containsExactly("505 HTTP version 2.0 is not supported");
    assertThat(everyWay("POST / HTTP/1.1" + host + "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
        .containsExactly("501 transfer coding gzip is not implemented");
  }

  // ---------------------------------------------------------------- request smuggling (RFC 9112)

  @Test
  void everySmugglingVectorIsRejected() {
    String[][] cases = {
      {
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "400 both Content-Length and Transfer-Encoding"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "400 differing Content-Length values"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\n",
        "400 differing Content-Length values"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\n", "400 invalid Content-Length: +3"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
        "400 chunked is not the final transfer coding"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: identity\r\n\r\n",
        "400 the final transfer coding is identity, not chunked"
      },
      {
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        "400 Transfer-Encoding in an HTTP/1.0 request"
      },
      {
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n",
        "400 obsolete line folding (a field line starting with whitespace)"
      },
      {
        "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n",
        "400 whitespace in a field name or before the colon"
      },
      {"GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", "400 bare CR"},
      {"GET / HTTP/1.1\nHost: h\r\n\r\n", "400 bare LF: lines must end with CRLF"},
      {
        "GET / HTTP/1.1\r\nHost: h\r\nX: a\u0001b\r\n\r\n", "400 control character in a field value"
      },
      {
        "GET / HTTP/1.1\r\nHost: h\r\nBad(name): x\r\n\r\n", "400 invalid character in a field name"
      },
      {"G=T / HTTP/1.1\r\nHost: h\r\n\r\n", "400 invalid character in the method"},
      {
        "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 malformed request line: expected METHOD SP TARGET SP VERSION"
      },
      {
        "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 malformed request line: expected METHOD SP TARGET SP VERSION"
      },
      {"GET / HTTP/1.1\r\n\r\n", "400 HTTP/1.1 request without a Host field"},
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400 more than one Host field"},
      {
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
        "400 chunk size overflow"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n",
        "400 junk after the chunk size"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n;ext\r\n",
        "400 missing chunk size"
      },
      {
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n",
        "400 chunk data is not followed by CRLF"
      },
      {"GET / HTTP/1.x\r\nHost: h\r\n\r\n", "400 malformed HTTP version"},
    };
    for (String[] c : cases) {
      assertThat(everyWay(c[0]))
          .as(c[0].replace("\r", "\\r").replace("\n", "\\n"))
          .containsExactly(c[1]);
    }
  }

  @Test
  void requestTargetsAreOneOfTheirFormsOrRefused() {
    String[][] cases = {
      {"GET /p?a[]=1&b=%20 HTTP/1.1\r\nHost: h\r\n\r\n", "GET /p?a[]=1&b=%20 HTTP/1.1 [Host=h]"},
      {
        "GET http://other:8080/p?q HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET http://other:8080/p?q HTTP/1.1 [Host=other:8080]"
      },
      {"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS * HTTP/1.1 [Host=h]"},
      {"GET * HTTP/1.1\r\nHost: h\r\n\r\n", "400 the target * is for OPTIONS only"},
      {
        "GET plaintext HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 the request target is neither a path starting with / nor an http(s) URI"
      },
      {
        "GET ftp://h/p HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 the request target is neither a path starting with / nor an http(s) URI"
      },
      {
        "GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n", "400 an absolute request target without a host"
      },
      {
        "GET http://u@h/p HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 invalid character in the request target's authority"
      },
      {"GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", "400 a fragment (#) in the request target"},
      {"GET /a?b#c HTTP/1.1\r\nHost: h\r\n\r\n", "400 a fragment (#) in the request target"},
      {
        "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 malformed percent-encoding in the request target"
      },
      {
        "GET /a%4 HTTP/1.1\r\nHost: h\r\n\r\n",
        "400 malformed percent-encoding in the request target"
      },
      {"GET /a\"b HTTP/1.1\r\nHost: h\r\n\r\n", "400 invalid character in the request target"},
      {"GET /\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n", "400 invalid character in the request target"},
      {"CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", "CONNECT h:443 HTTP/1.1 [Host=h]"},
    };
    for (String[] c : cases) {
      assertThat(everyWay(c[0])).as(c[0]).containsExactly(c[1]);
    }
  }

  @Test
  void anInvalidHostFieldIsRefused() {
    for (String ok : new String[] {"h", "example.org:8080", "[::1]:80", "127.0.0.1", "", "a%41b"}) {
      assertThat(everyWay("GET / HTTP/1.1\r\nHost: " + ok + "\r\n\r\n"))
          .as(ok)
          .containsExactly("GET / HTTP/1.1 [Host=" + ok + "]");
    }
    String[][] bad = {
      {"a b/c@d", "400 invalid character in the Host field"},
      {"fuzzTransfer-Encoding: chunked", "400 invalid port in the Host field"},
      {"h:80x", "400 invalid port in the Host field"},
      {"h:1234567", "400 invalid port in the Host field"},
      {"[::1", "400 unclosed IP literal in the Host field"},
      {"[::g]", "400 invalid IP literal in the Host field"},
      {"[::1]x", "400 junk after the host in the Host field"},
      {"h\u00e9", "400 invalid character in the Host field"},
    };
    for (String[] c : bad) {
      assertThat(everyWay("GET / HTTP/1.1\r\nHost: " + c[0] + "\r\n\r\n"))
          .as(c[0])
          .containsExactly(c[1]);
    }
  }

  @Test
  void aHigherMinorVersionIsAnsweredAsHttp11() {
    assertThat(everyWay("GET / HTTP/1.2\r\nHost: h\r\n\r\n"))
        .containsExactly("GET / HTTP/1.1 [Host=h]");
    assertThat(everyWay("GET / HTTP/1.9\r\nHost: h\r\n\r\n"))
        .containsExactly("GET / HTTP/1.1 [Host=h]");
    assertThat(everyWay("GET / HTTP/2.0\r\nHost: h\r\n\r\n"))
        .containsExactly("505 HTTP version 2.0 is not supported");
    assertThat(everyWay("GET / HTTP/0.9\r\nHost: h\r\n\r\n"))
        .containsExactly("505 HTTP version 0.9 is not supported");
  }

  @Test
  void aRepeatedContentLengthIsRefusedUnlessAllowed() {
    String twice =
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc";
    String listed = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc";
    for (String request : new String[] {twice, listed}) {
      assertThat(everyWay(request))
          .containsExactly("400 Content-Length repeated (even with the same value)");
      assertThat(
              everyWay(HttpOptions.builder().allowIdenticalContentLengths(true).build(), request))
          .hasSize(1)
          .first()
          .asString()
          .endsWith("body=abc");
    }
  }

  @Test
  void malformedChunkSizesAndExtensionsAreRefused() {
    String head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    String[][] cases = {
      {"0x3\r\nabc\r\n0\r\n\r\n", "400 junk after the chunk size"},
      {"+3\r\nabc\r\n0\r\n\r\n", "400 missing chunk size"},
      {" 3\r\nabc\r\n0\r\n\r\n", "400 missing chunk size"},
      {"-3\r\nabc\r\n0\r\n\r\n", "400 missing chunk size"},
      {"1_0\r\n", "400 junk after the chunk size"},
      {"3;a=\u0000\r\nabc\r\n0\r\n\r\n", "400 control character in a chunk extension"},
      {"3;a\nb\r\nabc\r\n0\r\n\r\n", "400 bare LF: lines must end with CRLF"},
      {"3\r\nabcd\r\n0\r\n\r\n", "400 chunk data is not followed by CRLF"},
      {"1".repeat(17) + "\r\n", "400 chunk size overflow"},
      {"f".repeat(24) + "\r\n", "400 chunk size overflow"},
      {
        "3;" + "x".repeat(1100) + "\r\nabc\r\n0\r\n\r\n",
        "400 chunk-size line longer than 1024 bytes"
      },
    };
    for (String[] c : cases) {
      assertThat(everyWay(head + c[0])).as(c[0]).containsExactly(c[1]);
    }
    assertThat(everyWay(head + "3;" + "x".repeat(1000) + "\r\nabc\r\n0\r\n\r\n"))
        .hasSize(1)
        .first()
        .asString()
        .endsWith("body=abc");
  }

  @Test
  void aStreamedBodyIsNotBoundByTheAggregationLimit() {
    byte[] input =
        ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 40\r\n\r\n" + "x".repeat(40))
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(parse(SMALL, input, feed -> feed.accept(input), true))
        .containsExactly("POST / HTTP/1.1 [Host=h] [Content-Length=40] body=" + "x".repeat(40));
    byte[] chunked =
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n28\r\n"
                + "y".repeat(40)
                + "\r\n0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(parse(SMALL, chunked, feed -> feed.accept(chunked), true))
        .containsExactly(
            "POST / HTTP/1.1 [Host=h] [Transfer-Encoding=chunked] body=" + "y".repeat(40));
  }

  @Test
  void afterAnErrorNothingMoreIsParsed() {
    List<String> events =
        everyWay(
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
    assertThat(events).containsExactly("400 more than one Host field");
  }

  @Test
  void keepAliveFollowsTheVersionAndConnectionField() {
    HttpHeaders none = new HttpHeaders();
    assertThat(new HttpRequest("GET", "/", "HTTP/1.1", none, new byte[0], none).keepAlive())
        .isTrue();
    assertThat(
            new HttpRequest(
                    "GET",
                    "/",
                    "HTTP/1.1",
                    new HttpHeaders().add("Connection", "Close"),
                    new byte[0],
                    none)
                .keepAlive())
        .isFalse();
    assertThat(new HttpRequest("GET", "/", "HTTP/1.0", none, new byte[0], none).keepAlive())
        .isFalse();
    assertThat(
            new HttpRequest(
                    "GET",
                    "/",
                    "HTTP/1.0",
                    new HttpHeaders().add("Connection", "keep-alive"),
                    new byte[0],
                    none)
                .keepAlive())
        .isTrue();
    HttpRequest query =
        new HttpRequest(
            "GET", "/p?q=1&name=J%C3%BCrg+x&flag&bad=%ZZ", "HTTP/1.1", none, new byte[0], none);
    assertThat(query.path()).isEqualTo("/p");
    assertThat(query.queryParameter("q")).isEqualTo("1");
    assertThat(query.queryParameter("name")).isEqualTo("Jürg x");
    assertThat(query.queryParameter("flag")).isEmpty();
    assertThat(query.queryParameter("bad")).isEqualTo("%ZZ");
    assertThat(query.queryParameter("missing")).isNull();
  }
}
