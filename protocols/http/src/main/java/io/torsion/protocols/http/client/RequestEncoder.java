package io.torsion.protocols.http.client;

import io.torsion.protocols.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Encodes a request head: request line in origin-form, {@code Host}, the fields, framing. */
final class RequestEncoder {
  private RequestEncoder() {}

  /**
   * Returns the head of {@code request}; {@code expectContinue} adds {@code Expect: 100-continue}.
   */
  static byte[] head(
      ClientRequest request, Origin origin, String userAgent, boolean expectContinue) {
    URI uri = request.uri();
    StringBuilder head = new StringBuilder(256);
    String path = uri.getRawPath();
    head.append(request.method()).append(' ').append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(origin.hostField()).append("\r\n");
    HttpHeaders headers = request.rawHeaders();
    for (int i = 0; i < headers.size(); i++) {
      head.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
    }
    if (userAgent != null && !headers.contains("User-Agent")) {
      head.append("User-Agent: ").append(userAgent).append("\r\n");
    }
    long length = request.length();
    if (length < 0) {
      head.append("Transfer-Encoding: chunked\r\n");
    } else if (length > 0 || definesContent(request.method())) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    if (expectContinue) {
      head.append("Expect: 100-continue\r\n");
    }
    head.append("\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** RFC 9110 8.6: a request whose method gives content a meaning says its length, even 0. */
  private static boolean definesContent(String method) {
    return switch (method) {
      case "GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT" -> false;
      default -> true;
    };
  }
}
