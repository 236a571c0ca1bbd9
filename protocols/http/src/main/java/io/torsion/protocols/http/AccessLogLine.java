package io.torsion.protocols.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line of the access log: Common Log Format ({@code host - - [date] "request" status bytes})
 * followed by the duration in milliseconds, e.g. {@code 127.0.0.1 - - [01/Dec/2026:18:52:18 +0000]
 * "GET /plaintext HTTP/1.1" 200 13 0}.
 */
final class AccessLogLine {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private AccessLogLine() {}

  /** Returns the line; {@code request} is null for one that could not be parsed. */
  static String format(
      SocketAddress peer,
      HttpRequest request,
      int status,
      long bodyBytes,
      long millis,
      long epochMillis) {
    StringBuilder line = new StringBuilder(96);
    line.append(host(peer)).append(" - - [");
    DATE.formatTo(Instant.ofEpochMilli(epochMillis), line);
    line.append("] \"");
    if (request == null) {
      line.append('-');
    } else {
      quoted(line, request.method());
      line.append(' ');
      quoted(line, request.target());
      line.append(' ').append(request.version());
    }
    line.append("\" ").append(status).append(' ');
    if (bodyBytes > 0) {
      line.append(bodyBytes);
    } else {
      line.append('-');
    }
    return line.append(' ').append(millis).toString();
  }

  private static String host(SocketAddress peer) {
    if (peer instanceof InetSocketAddress inet) {
      return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
    }
    return peer == null ? "-" : peer.toString();
  }

  /** Appends {@code text} with quotes, backslashes and control characters escaped. */
  private static void quoted(StringBuilder line, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        line.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7F) {
        line.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xFF));
      } else {
        line.append(c);
      }
    }
  }
}
