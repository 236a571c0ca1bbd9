package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests of the request parser: generated pipelines fed in random chunks come out
 * exactly as generated; garbage and mutated requests end in requests or an {@link HttpError}, never
 * another exception. Failures name their seed.
 */
class RequestParserFuzzTest {
  private static final int ROUNDS = 300;
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};

  private record Generated(String method, String target, byte[] body) {}

  private static String token(Random random, int max) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    StringBuilder out = new StringBuilder();
    for (int i = 1 + random.nextInt(max); i > 0; i--) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static List<HttpRequest> feed(byte[] stream, Random random, List<HttpError> errors) {
    List<HttpRequest> parsed = new ArrayList<>();
    RequestParser parser =
        new RequestParser(
            HttpOptions.defaults(),
            new RequestParser.Listener() {
              @Override
              public boolean headReceived(HttpRequest head, long length) {
                return false;
              }

              @Override
              public void request(HttpRequest request) {
                parsed.add(request);
              }

              @Override
              public boolean acceptsBody() {
                return true;
              }

              @Override
              public void bodyData(ByteBuffer data) {
                throw new AssertionError("no body is streamed");
              }

              @Override
              public void bodyEnd(HttpHeaders trailers) {
                throw new AssertionError("no body is streamed");
              }

              @Override
              public void expectContinue() {}
            });
    int at = 0;
    while (at < stream.length) {
      int n = 1 + random.nextInt(Math.min(200, stream.length - at));
      try {
        parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(stream, at, at + n)));
      } catch (HttpError e) {
        errors.add(e);
        break;
      }
      at += n;
    }
    return parsed;
  }

  @Test
  void generatedPipelinesRoundTripWhateverTheChunking() {
    for (int round = 0; round < ROUNDS; round++) {
      long seed = 0xC0FFEE + round;
      Random random = new Random(seed);
      List<Generated> sent = new ArrayList<>();
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      for (int i = 1 + random.nextInt(5); i > 0; i--) {
        String method = METHODS[random.nextInt(METHODS.length)];
        String target =
            "/" + token(random, 20) + (random.nextBoolean() ? "?q=" + token(random, 8) : "");
        byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(3000)];
        random.nextBytes(body);
        boolean chunked = body.length > 0 && random.nextBoolean();
        StringBuilder head =
            new StringBuilder(
                method + " " + target + " HTTP/1.1\r\nHost: " + token(random, 10) + "\r\n");
        for (int h = random.nextInt(6); h > 0; h--) {
          head.append("X-")
              .append(token(random, 10))
              .append(": ")
              .append(token(random, 30))
              .append("\r\n");
        }
        head.append(
            chunked
                ? "Transfer-Encoding: chunked\r\n"
                : body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "");
        head.append("\r\n");
        stream.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (chunked) {
          int at = 0;
          while (at < body.length) {
            int size = Math.min(body.length - at, 1 + random.nextInt(700));
            stream.writeBytes(
                (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            stream.write(body, at, size);
            stream.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += size;
          }
          stream.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
          stream.writeBytes(body);
        }
        sent.add(new Generated(method, target, body));
      }
      List<HttpError> errors = new ArrayList<>();
      List<HttpRequest> parsed = feed(stream.toByteArray(), random, errors);
      assertThat(errors).as("seed %d", seed).isEmpty();
      assertThat(parsed).as("seed %d", seed).hasSize(sent.size());
      for (int i = 0; i < sent.size(); i++) {
        assertThat(parsed.get(i).method())
            .as("seed %d request %d", seed, i)
            .isEqualTo(sent.get(i).method());
        assertThat(parsed.get(i).target())
            .as("seed %d request %d", seed, i)
            .isEqualTo(sent.get(i).target());
        assertThat(parsed.get(i).body())
            .as("seed %d request %d", seed, i)
            .isEqualTo(sent.get(i).body());
      }
    }
  }

  @Test
  void garbageAndMutationsEndInRequestsOrAnHttpErrorOnly() {
    byte[] valid =
        ("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + "GET /y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok")
            .getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < ROUNDS * 3; round++) {
      long seed = 0xBADC0DE + round;
      Random random = new Random(seed);
      byte[] input;
      if (round % 3 == 0) {
        input = new byte[random.nextInt(4000)];
        random.nextBytes(input);
      } else {
        input = valid.clone();
        for (int m = 1 + random.nextInt(4); m > 0; m--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      List<HttpError> errors = new ArrayList<>();
      feed(input, random, errors); // anything but HttpError propagates and fails the test
      for (HttpError error : errors) {
        assertThat(error.status()).as("seed %d", seed).isBetween(400, 505);
      }
    }
  }
}
