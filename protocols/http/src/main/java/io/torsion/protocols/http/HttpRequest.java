package io.torsion.protocols.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One parsed request: method, target, version, header fields and the whole body (de-chunked; the
 * trailer fields of a chunked body are in {@link #trailers()}).
 *
 * @param method the method token, e.g. {@code GET}
 * @param target the request target as sent, e.g. {@code /users/7?full=1}
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields
 * @param body the body, empty when there is none
 * @param trailers the trailer fields of a chunked body, else empty
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers, byte[] body,
    HttpHeaders trailers) {
  /** Requires every component. */
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(trailers, "trailers");
  }

  /** Returns the path part of the target, without the query. */
  public String path() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** Returns the query part of the target, without {@code ?}, or null. */
  public String query() {
    int query = target.indexOf('?');
    return query < 0 ? null : target.substring(query + 1);
  }

  /**
   * Returns the first value of query parameter {@code name}, URL-decoded as UTF-8, or null. A
   * parameter without {@code =} has the empty value.
   */
  public String queryParameter(String name) {
    String query = query();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (decode(key).equals(name)) {
        return equals < 0 ? "" : decode(pair.substring(equals + 1));
      }
    }
    return null;
  }

  private static String decode(String text) {
    try {
      return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  /** Returns the body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * Returns true if the connection may carry another request after this one: HTTP/1.1 unless
   * {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
   */
  public boolean keepAlive() {
    if (version.equals("HTTP/1.1")) {
      return !headers.containsToken("Connection", "close");
    }
    return headers.containsToken("Connection", "keep-alive");
  }

  @Override
  public String toString() {
    return "HttpRequest[" + method + " " + target + " " + version + ", " + headers.size() + " headers, "
        + body.length + " body bytes]";
  }
}
