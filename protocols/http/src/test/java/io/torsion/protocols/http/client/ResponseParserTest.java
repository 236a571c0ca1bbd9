package io.torsion.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.protocols.http.HttpError;
import io.torsion.protocols.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response parser's framing, on every split of its input. */
class ResponseParserTest {
  /** Parses {@code text} answering {@code method}, fed in two pieces split at {@code at}. */
  private static List<String> parse(String method, String text, int at, boolean endInput) {
    List<String> events = new ArrayList<>();
    ResponseParser parser =
        new ResponseParser(
            HttpClientOptions.builder().maxResponseBody(64).build(),
            new ResponseParser.Listener() {
              private String head;

              @Override
              public void interim(int status) {
                events.add("interim " + status);
              }

              @Override
              public boolean head(
                  int status, String reason, String version, HttpHeaders headers, long length) {
                head = version + " " + status + " [" + reason + "] length=" + length;
                return false;
              }

              @Override
              public boolean acceptsBody() {
                return true;
              }

              @Override
              public void bodyData(ByteBuffer data) {}

              @Override
              public void complete(byte[] whole, HttpHeaders trailers) {
                events.add(
                    head
                        + " body="
                        + new String(whole, StandardCharsets.ISO_8859_1)
                        + (trailers != null && trailers.size() > 0 ? " trailers=" + trailers : ""));
              }
            });
    parser.expect(method);
    byte[] input = text.getBytes(StandardCharsets.ISO_8859_1);
    try {
      parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(input, 0, at)));
      parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(input, at, input.length)));
      if (endInput) {
        parser.endOfInput();
      }
    } catch (HttpError e) {
      events.add("error " + e.getMessage());
    }
    return events;
  }

  private static List<String> everySplit(String method, String text, boolean endInput) {
    List<String> whole = parse(method, text, text.length(), endInput);
    for (int at = 0; at < text.length(); at++) {
      assertThat(parse(method, text, at, endInput)).as("split at %d", at).isEqualTo(whole);
    }
    return whole;
  }

  @Test
  void framesBodiesByLengthChunksOrTheClose() {
    assertThat(everySplit("GET", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", false))
        .containsExactly("HTTP/1.1 200 [OK] length=3 body=abc");
    assertThat(
            everySplit(
                "GET",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;x=y\r\nc\r\n0\r\nT: v\r\n\r\n",
                false))
        .containsExactly("HTTP/1.1 200 [OK] length=-1 body=abc trailers=HttpHeaders[t: v]");
    assertThat(everySplit("GET", "HTTP/1.0 200 OK\r\n\r\nto the end", true))
        .containsExactly("HTTP/1.0 200 [OK] length=-1 body=to the end");
    assertThat(everySplit("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", false))
        .containsExactly("HTTP/1.1 200 [OK] length=0 body=");
    assertThat(everySplit("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", false))
        .containsExactly("HTTP/1.1 304 [Not Modified] length=0 body=");
    assertThat(
            everySplit(
                "GET",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                    + "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
                false))
        .containsExactly("interim 100", "interim 103", "HTTP/1.1 200 [] length=0 body=");
    assertThat(everySplit("GET", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false))
        .as("a status line without a reason")
        .containsExactly("HTTP/1.1 200 [] length=0 body=");
  }

  @Test
  void refusesWhatIsNotAValidResponse() {
    String[][] cases = {
      {"HTTP/1.1 20 OK\r\n\r\n", "error malformed status code"},
      {"HTTP/1.1 600 Odd\r\n\r\n", "error status code 600 out of range"},
      {"HTTP/1.1 200OK\r\n\r\n", "error malformed status line: no space after the status code"},
      {"HTTP/1.1 200 O\u0001K\r\n\r\n", "error control character in the reason phrase"},
      {"ICY 200 OK\r\n\r\n", "error malformed status line: expected HTTP/1.x SP STATUS SP REASON"},
      {
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "error both Content-Length and Transfer-Encoding in a response"
      },
      {
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
        "error body of 100 bytes, over the limit of 64"
      },
      {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
        "error the message ended before it was complete (FIXED_BODY)"
      },
      {"HTTP/1.0 200 OK\r\n\r\n" + "x".repeat(65), "error body larger than 64 bytes"},
    };
    for (String[] c : cases) {
      assertThat(everySplit("GET", c[0], true)).as(c[0]).containsExactly(c[1]);
    }
  }
}
