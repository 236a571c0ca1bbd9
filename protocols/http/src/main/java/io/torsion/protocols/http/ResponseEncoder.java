package io.torsion.protocols.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes responses: status line, the server's own fields, the response's fields, framing, body. */
final class ResponseEncoder {
  private static final byte[] CRLF = {'\r', '\n'};
  private final String server;
  private long dateSecond = -1;
  private String date;

  ResponseEncoder(String server) {
    this.server = server;
  }

  /**
   * Returns the bytes of {@code response} to {@code request} (or to a request that could not be
   * parsed, when null); {@code close} adds {@code Connection: close}.
   */
  byte[] encode(HttpResponse response, HttpRequest request, boolean close) {
    boolean head = request != null && request.method().equals("HEAD");
    boolean http10 = request != null && request.version().equals("HTTP/1.0");
    int status = response.status();
    boolean bodyless = status < 200 || status == 204 || status == 304;
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (response.body() == null ? 0 : response.body().length));
    ascii(out, "HTTP/1.1 " + status + " " + Statuses.reason(status));
    out.writeBytes(CRLF);
    field(out, "Date", date());
    if (server != null) {
      field(out, "Server", server);
    }
    HttpHeaders headers = response.headers();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.names().get(i);
      if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")
          && !name.equalsIgnoreCase("Connection")) {
        field(out, name, headers.value(i));
      }
    }
    boolean chunked = response.chunks() != null && !bodyless;
    if (close || closesAfter(response, request)) {
      field(out, "Connection", "close");
    } else if (http10) {
      field(out, "Connection", "keep-alive");
    }
    byte[] body = bodyless ? new byte[0] : response.body();
    if (chunked && !http10) {
      field(out, "Transfer-Encoding", "chunked");
    } else if (!bodyless) {
      field(out, "Content-Length", Long.toString(body != null ? body.length : totalLength(response)));
    }
    out.writeBytes(CRLF);
    if (!head && !bodyless) {
      if (chunked && !http10) {
        for (byte[] chunk : response.chunks()) {
          if (chunk.length > 0) {
            ascii(out, Integer.toHexString(chunk.length));
            out.writeBytes(CRLF);
            out.writeBytes(chunk);
            out.writeBytes(CRLF);
          }
        }
        ascii(out, "0\r\n\r\n");
      } else if (chunked) {
        response.chunks().forEach(out::writeBytes);
      } else {
        out.writeBytes(body);
      }
    }
    return out.toByteArray();
  }

  /**
   * Returns whether the connection must close after this response, whatever the request said: an
   * HTTP/1.0 client has no chunked coding, so a chunked response is delimited by the close.
   */
  static boolean closesAfter(HttpResponse response, HttpRequest request) {
    return response.chunks() != null && request != null && request.version().equals("HTTP/1.0");
  }

  private static long totalLength(HttpResponse response) {
    long total = 0;
    for (byte[] chunk : response.chunks()) {
      total += chunk.length;
    }
    return total;
  }

  /** Returns the IMF-fixdate of this second, computed once a second. */
  private String date() {
    long now = System.currentTimeMillis() / 1000;
    if (now != dateSecond) {
      dateSecond = now;
      date = HttpDates.format(java.time.Instant.ofEpochSecond(now));
    }
    return date;
  }

  private static void field(ByteArrayOutputStream out, String name, String value) {
    ascii(out, name);
    out.write(':');
    out.write(' ');
    out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(CRLF);
  }

  private static void ascii(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
