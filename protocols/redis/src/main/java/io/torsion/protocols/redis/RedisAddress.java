package io.torsion.protocols.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a client connects, from a URI: {@code redis://[[user]:password@]host[:port][/database]},
 * {@code rediss://} for TLS; the port defaults to 6379. The password never appears in {@link
 * #toString()}.
 */
record RedisAddress(
    boolean tls, String host, int port, String user, String password, int database) {
  static final int DEFAULT_PORT = 6379;

  static RedisAddress parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Redis URI: " + text + " (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(
          "a Redis URI starts redis:// or rediss://, not " + safe(text));
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("a Redis URI without a host: " + safe(text));
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info); // redis://secret@host, as redis-cli reads it
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "a Redis URI's path is a database number: " + safe(text));
      }
      if (database < 0) {
        throw new IllegalArgumentException("a negative database number: " + safe(text));
      }
    }
    return new RedisAddress(scheme.equals("rediss"), host, port, user, password, database);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String safe(String text) {
    return text.replaceAll("//[^@/]*@", "//***@");
  }

  @Override
  public String toString() {
    String shownHost = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "rediss://" : "redis://")
        + shownHost
        + ":"
        + port
        + (database == 0 ? "" : "/" + database);
  }
}
