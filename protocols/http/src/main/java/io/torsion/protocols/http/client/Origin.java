package io.torsion.protocols.http.client;

import java.net.URI;
import java.util.Locale;

/**
 * Where a connection goes: scheme, host and port of a URI (RFC 6454); connections are pooled per
 * origin, and a redirect to another origin drops credentials.
 *
 * @param secure true for {@code https}
 * @param host the host, without the brackets of an IPv6 literal, lower case
 * @param port the port, the scheme's default when the URI has none
 */
record Origin(boolean secure, String host, int port) {
  static Origin of(URI uri) {
    boolean secure = uri.getScheme().equalsIgnoreCase("https");
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
    return new Origin(secure, host, port);
  }

  /** Returns the {@code Host} field's value: the host, and the port unless it is the default. */
  String hostField() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (secure ? 443 : 80) ? name : name + ":" + port;
  }

  @Override
  public String toString() {
    return (secure ? "https://" : "http://") + hostField();
  }
}
