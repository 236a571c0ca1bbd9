package io.torsion.protocols.policies;

import io.torsion.Reactor;
import io.torsion.endpoints.EndpointArguments;
import io.torsion.endpoints.EndpointParser;
import io.torsion.endpoints.Endpoints;
import io.torsion.endpoints.ServerEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code haproxy:} endpoint prefix, Twisted's: {@code haproxy:tcp:8080:interface=127.0.0.1}
 * listens as the endpoint after the prefix says, each connection opening with a PROXY protocol
 * header ({@link ProxyProtocol}). Two keywords of its own, taken out before the rest is read:
 * {@code proxyMode=required} (the default) or {@code optional}, and {@code proxyTrust=} the
 * networks allowed to send a header, comma-separated (default {@code 127.0.0.0/8,::1}: a balancer
 * elsewhere is named). {@code haproxy:tls:...} is refused: the header comes before the handshake,
 * so listen with {@code tcp:} and {@link ProxyProtocol#wrap(io.torsion.Factory,
 * io.torsion.tls.TlsServerOptions)}, or let the balancer end TLS. Found by {@link Endpoints} as a
 * service when this module is present.
 */
public final class ProxyProtocolEndpoints implements EndpointParser {
  private static final String DEFAULT_TRUST = "127.0.0.0/8,::1";

  /** Made by the service loader. */
  public ProxyProtocolEndpoints() {}

  @Override
  public String prefix() {
    return "haproxy";
  }

  @Override
  public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
    String description = arguments.description();
    List<String> inner = new ArrayList<>();
    String mode = "required";
    String trust = DEFAULT_TRUST;
    for (String field : rawFields(description.substring(description.indexOf(':') + 1))) {
      if (field.startsWith("proxyMode=")) {
        mode = unescape(field.substring("proxyMode=".length())).toLowerCase(Locale.ROOT);
      } else if (field.startsWith("proxyTrust=")) {
        trust = unescape(field.substring("proxyTrust=".length()));
      } else {
        inner.add(field);
      }
    }
    if (inner.isEmpty() || inner.get(0).isEmpty()) {
      throw arguments.error(
          "haproxy: names the endpoint to listen on after it, as haproxy:tcp:8080");
    }
    if (inner.get(0).equalsIgnoreCase("tls")) {
      throw arguments.error(
          "haproxy:tls: cannot work: the PROXY header comes before the TLS handshake; listen on"
              + " tcp: with ProxyProtocol.wrap(factory, tls), or let the balancer end TLS");
    }
    if (inner.get(0).equalsIgnoreCase("haproxy")) {
      throw arguments.error("haproxy: once is enough");
    }
    ProxyProtocol.Builder builder = ProxyProtocol.builder(reactor);
    switch (mode) {
      case "required" -> builder.required();
      case "optional" -> builder.optional();
      default -> throw arguments.error("proxyMode is required or optional, not '" + mode + "'");
    }
    try {
      builder.trust(trust.split(","));
    } catch (IllegalArgumentException e) {
      throw arguments.error("proxyTrust: " + e.getMessage());
    }
    ProxyProtocol policy = builder.build();
    ServerEndpoint listening = Endpoints.server(reactor, String.join(":", inner));
    return factory -> listening.listen(policy.wrap(factory));
  }

  /** Splits at the colons that are not escaped, keeping each field's escapes as they are. */
  private static List<String> rawFields(String text) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        field.append(c).append(text.charAt(++i));
      } else if (c == ':') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static String unescape(String raw) {
    StringBuilder text = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      text.append(c == '\\' && i + 1 < raw.length() ? raw.charAt(++i) : c);
    }
    return text.toString();
  }
}
