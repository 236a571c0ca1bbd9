package io.torsion.endpoints;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.UnixPort;
import io.torsion.tls.Identity;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsServerOptions;
import io.torsion.tls.TrustRoots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The endpoint types every reactor has: {@code tcp}, {@code unix} and {@code tls}. */
final class BuiltInEndpoints {
  private BuiltInEndpoints() {}

  static List<EndpointParser> all() {
    return List.of(new Tcp(), new Unix(), new Tls(), new Systemd());
  }

  /** {@code tcp:PORT[:interface=HOST]}; {@code tcp:HOST:PORT[:timeout=S]} for clients. */
  static final class Tcp implements EndpointParser {
    @Override
    public String prefix() {
      return "tcp";
    }

    @Override
    public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
      int port = port(arguments, arguments.require("port"));
      String host = arguments.keyword("interface");
      Integer backlog = arguments.number(arguments.keyword("backlog"), "backlog", 1, 1 << 20);
      arguments.done();
      return factory ->
          inet(reactor.listenTCP(port, blankAsAll(host), factory, backlog == null ? 0 : backlog));
    }

    @Override
    public ClientEndpoint client(Reactor reactor, EndpointArguments arguments) {
      String host = arguments.require("host");
      int port = port(arguments, arguments.require("port"));
      Duration timeout = timeout(arguments);
      arguments.done();
      return new ClientEndpoint() {
        @Override
        public <P extends Protocol> Deferred<P> connect(Factory<P> factory) {
          return timeout == null
              ? reactor.connectTCP(host, port, factory)
              : reactor.connectTCP(host, port, factory, timeout);
        }
      };
    }
  }

  /** {@code unix:PATH[:mode=OCTAL]}; {@code unix:PATH[:timeout=S]} for clients. */
  static final class Unix implements EndpointParser {
    @Override
    public String prefix() {
      return "unix";
    }

    @Override
    public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
      Path path = Path.of(arguments.require("address"));
      Set<PosixFilePermission> mode = mode(arguments, arguments.keyword("mode"));
      arguments.done();
      return factory -> unix(reactor.listenUNIX(path, factory, mode));
    }

    @Override
    public ClientEndpoint client(Reactor reactor, EndpointArguments arguments) {
      Path path = Path.of(arguments.require("path"));
      Duration timeout = timeout(arguments);
      arguments.done();
      return new ClientEndpoint() {
        @Override
        public <P extends Protocol> Deferred<P> connect(Factory<P> factory) {
          Deferred<P> connected = reactor.connectUNIX(path, factory);
          return timeout == null ? connected : connected.addTimeout(timeout, reactor);
        }
      };
    }
  }

  /**
   * {@code tls:PORT:certificate=PEM:privateKey=PEM[:interface=HOST]}; {@code
   * tls:HOST:PORT[:trustRoots=PEM][:timeout=S]} for clients.
   */
  static final class Tls implements EndpointParser {
    @Override
    public String prefix() {
      return "tls";
    }

    @Override
    public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
      int port = port(arguments, arguments.require("port"));
      String host = arguments.keyword("interface");
      String certificate = arguments.keyword("certificate");
      String certKey = arguments.keyword("certKey");
      String privateKey = arguments.keyword("privateKey");
      refuseBacklog(arguments);
      arguments.done();
      if (certificate == null) {
        certificate = certKey;
      }
      if (certificate == null || privateKey == null) {
        throw arguments.error("it needs certificate=FILE and privateKey=FILE (PEM)");
      }
      Identity identity;
      try {
        identity = Identity.fromPem(Path.of(certificate), Path.of(privateKey));
      } catch (IOException | RuntimeException e) {
        throw arguments.error("cannot read its certificate or key: " + e.getMessage());
      }
      TlsServerOptions tls = TlsServerOptions.of(identity);
      return factory -> inet(reactor.listenSSL(port, blankAsAll(host), factory, tls));
    }

    @Override
    public ClientEndpoint client(Reactor reactor, EndpointArguments arguments) {
      String host = arguments.require("host");
      int port = port(arguments, arguments.require("port"));
      String roots = arguments.keyword("trustRoots");
      Duration timeout = timeout(arguments);
      arguments.done();
      TlsClientOptions tls;
      try {
        tls =
            roots == null
                ? TlsClientOptions.defaults()
                : TlsClientOptions.builder().trust(TrustRoots.fromPem(Path.of(roots))).build();
      } catch (IOException | UncheckedIOException e) {
        throw arguments.error("cannot read trustRoots " + roots + ": " + e.getMessage());
      }
      return new ClientEndpoint() {
        @Override
        public <P extends Protocol> Deferred<P> connect(Factory<P> factory) {
          return timeout == null
              ? reactor.connectSSL(host, port, factory, tls)
              : reactor.connectSSL(host, port, factory, tls, timeout);
        }
      };
    }
  }

  /**
   * {@code systemd:domain=INET|INET6|UNIX:index=N} or {@code ...:name=NAME}: a socket systemd's
   * socket activation passed in (Twisted's {@code systemd:} endpoint).
   */
  static final class Systemd implements EndpointParser {
    @Override
    public String prefix() {
      return "systemd";
    }

    @Override
    public ServerEndpoint server(Reactor reactor, EndpointArguments arguments) {
      String domain = arguments.require("domain").toUpperCase(java.util.Locale.ROOT);
      Integer index = arguments.number(arguments.keyword("index"), "index", 0, 1 << 20);
      String name = arguments.keyword("name");
      arguments.done();
      if (!List.of("INET", "INET6", "UNIX").contains(domain)) {
        throw arguments.error("domain '" + domain + "' is not INET, INET6 or UNIX");
      }
      if ((index == null) == (name == null)) {
        throw arguments.error("it needs index=N or name=NAME (one of them)");
      }
      return factory -> {
        int descriptor =
            SystemdSockets.descriptor(System.getenv(), ProcessHandle.current().pid(), index, name);
        return domain.equals("UNIX")
            ? unix(reactor.adoptUnixPort(descriptor, factory))
            : inet(reactor.adoptStreamPort(descriptor, factory));
      };
    }
  }

  // ---------------------------------------------------------------- shared parts

  private static int port(EndpointArguments arguments, String text) {
    return arguments.number(text, "port", 0, 65_535);
  }

  private static String blankAsAll(String host) {
    return host == null || host.isEmpty() ? null : host;
  }

  private static void refuseBacklog(EndpointArguments arguments) {
    if (arguments.keyword("backlog") != null) {
      throw arguments.error("backlog is tcp:'s only (listenSSL keeps the transport's queue)");
    }
  }

  private static Duration timeout(EndpointArguments arguments) {
    Integer seconds = arguments.number(arguments.keyword("timeout"), "timeout", 1, 86_400);
    return seconds == null ? null : Duration.ofSeconds(seconds);
  }

  private static Set<PosixFilePermission> mode(EndpointArguments arguments, String octal) {
    if (octal == null) {
      return null;
    }
    if (!octal.matches("0?[0-7]{3}")) {
      throw arguments.error("mode '" + octal + "' is not three octal digits, such as 660");
    }
    int bits = Integer.parseInt(octal, 8);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < order.length; i++) {
      if ((bits & (1 << i)) != 0) {
        mode.add(order[i]);
      }
    }
    return mode;
  }

  static EndpointPort inet(ListeningPort port) {
    return new EndpointPort() {
      @Override
      public SocketAddress address() {
        return port.getHost();
      }

      @Override
      public String describe() {
        InetSocketAddress at = port.getHost();
        String host = at.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + compressed(host) + "]" : host) + ":" + at.getPort();
      }

      @Override
      public Deferred<Void> stopListening() {
        return port.stopListening();
      }

      @Override
      public String toString() {
        return describe();
      }
    };
  }

  /** Returns an IPv6 address in RFC 5952's short form: the longest run of zero groups as "::". */
  static String compressed(String ipv6) {
    int scope = ipv6.indexOf('%');
    String suffix = scope < 0 ? "" : ipv6.substring(scope);
    String[] groups = (scope < 0 ? ipv6 : ipv6.substring(0, scope)).split(":", -1);
    int bestStart = -1;
    int bestLength = 1; // a single zero group stays
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return String.join(":", groups) + suffix;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(
            ":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail + suffix;
  }

  static EndpointPort unix(UnixPort port) {
    return new EndpointPort() {
      @Override
      public SocketAddress address() {
        return UnixDomainSocketAddress.of(port.path());
      }

      @Override
      public String describe() {
        return "unix:" + port.path();
      }

      @Override
      public Deferred<Void> stopListening() {
        return port.stopListening();
      }

      @Override
      public String toString() {
        return describe();
      }
    };
  }
}
