package io.torsion.endpoints;

import io.torsion.Reactor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Servers and clients described by strings, as Twisted's {@code serverFromString} and {@code
 * clientFromString}, so that one flag chooses how a service listens:
 *
 * <table>
 *   <caption>Endpoint strings</caption>
 *   <tr><th>string</th><th>means</th></tr>
 *   <tr><td>{@code tcp:8080}, {@code tcp:8080:interface=127.0.0.1:backlog=128}, {@code
 *       tcp:port=0}</td>
 *       <td>{@code listenTCP} (every interface unless one is named; the accept queue's length)</td></tr>
 *   <tr><td>{@code unix:/run/app.sock}, {@code unix:/run/app.sock:mode=660}</td>
 *       <td>{@code listenUNIX} (mode in octal; {@code rw-rw----} by default)</td></tr>
 *   <tr><td>{@code tls:8443:certificate=cert.pem:privateKey=key.pem[:interface=...]}</td>
 *       <td>{@code listenSSL} with that PEM chain and key ({@code certKey} as Twisted's
 *       {@code ssl:} is accepted too)</td></tr>
 *   <tr><td>{@code systemd:domain=INET:index=0}, {@code systemd:domain=UNIX:name=web}</td>
 *       <td>{@code adoptStreamPort} / {@code adoptUnixPort} on a socket systemd's socket
 *       activation passed ({@code LISTEN_FDS}, {@code LISTEN_PID}, {@code LISTEN_FDNAMES})</td></tr>
 *   <tr><td>{@code tcp:host=example.org:port=80:timeout=10}, {@code tcp:example.org:80}</td>
 *       <td>{@code connectTCP}, with a connect timeout in seconds</td></tr>
 *   <tr><td>{@code unix:path=/run/app.sock}, {@code unix:/run/app.sock:timeout=5}</td>
 *       <td>{@code connectUNIX}</td></tr>
 *   <tr><td>{@code tls:host=example.org:port=443[:trustRoots=ca.pem][:timeout=10]}</td>
 *       <td>{@code connectSSL}, verifying the host name (against the JDK's roots unless
 *       given)</td></tr>
 * </table>
 *
 * <p>Fields are separated by {@code :}; a backslash makes the next character literal ({@code
 * unix:/tmp/a\:b.sock}). A bad string is an {@link EndpointSyntaxError} that names it and its bad
 * part. Other prefixes come from {@link EndpointParser} services.
 */
public final class Endpoints {
  private Endpoints() {}

  /** Returns the server endpoint {@code description} names. */
  public static ServerEndpoint server(Reactor reactor, String description) {
    Objects.requireNonNull(reactor, "reactor");
    EndpointArguments arguments = EndpointArguments.parse(description);
    return parser(arguments).server(reactor, arguments);
  }

  /** Returns the client endpoint {@code description} names. */
  public static ClientEndpoint client(Reactor reactor, String description) {
    Objects.requireNonNull(reactor, "reactor");
    EndpointArguments arguments = EndpointArguments.parse(description);
    return parser(arguments).client(reactor, arguments);
  }

  private static EndpointParser parser(EndpointArguments arguments) {
    EndpointParser parser = parsers().get(arguments.prefix());
    if (parser == null) {
      throw arguments.error(
          "unknown type '"
              + arguments.prefix()
              + "' (known: "
              + String.join(", ", parsers().keySet())
              + ")");
    }
    return parser;
  }

  private static Map<String, EndpointParser> parsers() {
    Map<String, EndpointParser> all = new LinkedHashMap<>();
    for (EndpointParser builtIn : BuiltInEndpoints.all()) {
      all.put(builtIn.prefix(), builtIn);
    }
    for (EndpointParser added : ServiceLoader.load(EndpointParser.class)) {
      all.putIfAbsent(added.prefix().toLowerCase(Locale.ROOT), added);
    }
    return all;
  }
}
