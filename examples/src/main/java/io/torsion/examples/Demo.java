package io.torsion.examples;

import io.torsion.CannotListenError;
import io.torsion.DatagramTransport;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorTime;
import io.torsion.ReactorUnavailableException;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import io.torsion.endpoints.EndpointPort;
import io.torsion.endpoints.EndpointSyntaxError;
import io.torsion.endpoints.Endpoints;
import io.torsion.protocols.echo.DatagramEcho;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.http.HttpOptions;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.policies.ConnectionLimits;
import io.torsion.protocols.policies.IdleTimeout;
import io.torsion.protocols.policies.ProxyProtocol;
import io.torsion.protocols.redis.RedisClient;
import io.torsion.protocols.redis.RedisOptions;
import io.torsion.tls.Identity;
import io.torsion.tls.SelfSignedCertificate;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsServerOptions;
import io.torsion.tls.TrustRoots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Torsion demo: one reactor serving echo on {@code --echo-port}, a line-based command protocol
 * ({@link CommandProtocol}) on {@code --line-port} and HTTP ({@link DemoHttp}) on {@code
 * --http-port}, and with {@code --https-port} the same HTTP over TLS. Prints one line that scripts
 * can read, e.g. {@code torsion-demo: reactor=epoll chosen=auto echo=127.0.0.1:8000
 * line=127.0.0.1:8001 http=127.0.0.1:8080 https=127.0.0.1:8443}, and the reactor's full selection
 * report below it; stops cleanly on SIGINT or SIGTERM.
 *
 * <pre>
 * java -jar examples/target/torsion-demo.jar [--host 127.0.0.1] [--echo-port 8000]
 * java -Dtorsion.reactor=nio -jar examples/target/torsion-demo.jar
 * </pre>
 */
public final class Demo {
  static final String USAGE =
      String.join(
          "\n",
          "usage: java [-Dtorsion.reactor=NAME] -jar torsion-demo.jar [options]",
          "",
          "Serves echo (RFC 862), a line-based command protocol and HTTP on one Torsion reactor.",
          "",
          "options:",
          "  --host ADDRESS     address to bind (default 127.0.0.1)",
          "  --echo-port PORT   echo port (default 8000; 0 picks a free port)",
          "  --udp-port PORT    UDP echo port (default 8000; 0 picks a free port); it answers any sender",
          "                     address, so keep it off public interfaces",
          "  --line-port PORT   command protocol port (default 8001; 0 picks a free port): HELP, ECHO <text>,",
          "                     TIME, STATS, GET <key>, SET <key> <value>, WATCH, UNWATCH, QUIT",
          "  --http-port PORT   HTTP port (default 8080; 0 picks a free port): GET /kv, GET and PUT /kv/KEY",
          "                     (the board the line port shares), /plaintext, POST /echo, /delay?ms=N,",
          "                     /stream?chunks=N",
          "  --idle-timeout S   close echo and line connections idle for S seconds (default 300; 0: never)",
          "  --max-connections N  connections at once on each of the echo and line ports (default 5000)",
          "  --max-per-peer N   connections at once from one address on each of those ports (default 2500)",
          "  --socket-buffer B  kernel receive and send buffer of each connection, bytes (default 131072;",
          "                     0: the OS default, which grows to MiBs per connection)",
          "  --echo-endpoint E, --line-endpoint E, --http-endpoint E, --https-endpoint E",
          "                     listen as the endpoint string E says instead of on the port (the --*-port",
          "                     flags are shorthand for tcp:PORT:interface=HOST): tcp:8080:interface=::1,",
          "                     unix:/run/demo.sock:mode=660, tls:8443:certificate=F:privateKey=F",
          "  --https-port PORT  also serve the HTTP routes over TLS on PORT (0 picks a free port), with",
          "                     http/1.1 offered over ALPN; the line port then accepts STARTTLS",
          "  --cert FILE        the HTTPS certificate chain, PEM (with --key); without it a self-signed",
          "                     certificate for localhost, 127.0.0.1 and ::1 is made at start",
          "  --key FILE         the certificate's private key, PEM (PKCS#8, or PKCS#1 RSA)",
          "  --board URI        keep the board in Redis (redis://[:password@]127.0.0.1:6379[/db]), shared",
          "                     by every demo process using it: WATCH hears changes made through any of them",
          "  --board-ca FILE    the PEM roots that verify a rediss:// board's server (default: the JDK's)",
          "  --proxy-protocol M off (default), optional or required: read HAProxy's PROXY header (v1 or v2)",
          "                     on the echo, line, HTTP and HTTPS ports, so logs and limits see the client",
          "  --proxy-trust NETS the sources allowed to send one (default 127.0.0.0/8,::1; comma-separated)",
          "  --access-log       print one line per HTTP request on standard output (Common Log Format)",
          "  --drain-delay S    on SIGTERM, answer /readyz with 503 and keep serving for S seconds before the",
          "                     ports close, so a load balancer takes the process out first (default 0)",
          "  --metrics          serve the reactor's and the HTTP server's metrics at GET /metrics, in",
          "                     Prometheus's text format (through Micrometer)",
          "  --help             print this help and exit",
          "",
          "Every port pauses reading from a peer that does not read its replies (reads follow writes);",
          "SIGINT or SIGTERM stops it cleanly: in-flight requests are answered within 10 s.",
          "",
          "The reactor's transport is chosen automatically (epoll on Linux, kqueue on macOS,",
          "iocp on Windows, nio elsewhere); -Dtorsion.reactor=NAME or TORSION_REACTOR=NAME forces one.");

  private final Reactor reactor;
  private final EndpointPort echo;
  private final DatagramTransport udp;
  private final EndpointPort line;
  private final EndpointPort http;
  private final EndpointPort https; // null without --https-port or --https-endpoint
  private final String host;

  private Demo(
      Reactor reactor,
      EndpointPort echo,
      DatagramTransport udp,
      EndpointPort line,
      EndpointPort http,
      EndpointPort https,
      String host) {
    this.reactor = reactor;
    this.echo = echo;
    this.udp = udp;
    this.line = line;
    this.http = http;
    this.https = https;
    this.host = host;
  }

  /** The command-line options. */
  record Options(
      String host,
      int echoPort,
      int udpPort,
      int linePort,
      int httpPort,
      int idleTimeoutSeconds,
      int maxConnections,
      int maxPerPeer,
      int socketBuffer,
      int httpsPort,
      Path cert,
      Path key,
      String echoEndpoint,
      String lineEndpoint,
      String httpEndpoint,
      String httpsEndpoint,
      String board,
      Path boardCa,
      String proxyProtocol,
      String proxyTrust,
      boolean accessLog,
      int drainDelaySeconds,
      boolean metrics,
      boolean help) {
    /** No --https-port. */
    static final int NO_HTTPS = -1;

    static final int DEFAULT_SOCKET_BUFFER = 128 * 1024;
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    static final int DEFAULT_MAX_CONNECTIONS = 5000;
    static final int DEFAULT_MAX_PER_PEER = 2500;

    static Options parse(String... args) {
      String host = "127.0.0.1";
      int echoPort = 8000;
      int udpPort = 8000;
      int linePort = 8001;
      int httpPort = 8080;
      int idle = DEFAULT_IDLE_TIMEOUT_SECONDS;
      int maxConnections = DEFAULT_MAX_CONNECTIONS;
      int maxPerPeer = DEFAULT_MAX_PER_PEER;
      int socketBuffer = DEFAULT_SOCKET_BUFFER;
      int httpsPort = NO_HTTPS;
      Path cert = null;
      Path key = null;
      String echoEndpoint = null;
      String lineEndpoint = null;
      String httpEndpoint = null;
      String httpsEndpoint = null;
      String board = null;
      Path boardCa = null;
      String proxyProtocol = "off";
      String proxyTrust = "127.0.0.0/8,::1";
      boolean accessLog = false;
      int drainDelay = 0;
      boolean metrics = false;
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> help = true;
          case "--host" -> host = value(args, ++i, "--host");
          case "--echo-port" -> echoPort = port(value(args, i + 1, "--echo-port"), args[i++]);
          case "--udp-port" -> udpPort = port(value(args, i + 1, "--udp-port"), args[i++]);
          case "--line-port" -> linePort = port(value(args, i + 1, "--line-port"), args[i++]);
          case "--http-port" -> httpPort = port(value(args, i + 1, "--http-port"), args[i++]);
          case "--idle-timeout" -> idle = count(value(args, i + 1, "--idle-timeout"), args[i++], 0);
          case "--max-connections" ->
              maxConnections = count(value(args, i + 1, "--max-connections"), args[i++], 1);
          case "--max-per-peer" ->
              maxPerPeer = count(value(args, i + 1, "--max-per-peer"), args[i++], 1);
          case "--socket-buffer" ->
              socketBuffer = count(value(args, i + 1, "--socket-buffer"), args[i++], 0);
          case "--https-port" -> httpsPort = port(value(args, i + 1, "--https-port"), args[i++]);
          case "--cert" -> cert = Path.of(value(args, ++i, "--cert"));
          case "--key" -> key = Path.of(value(args, ++i, "--key"));
          case "--echo-endpoint" -> echoEndpoint = value(args, ++i, "--echo-endpoint");
          case "--line-endpoint" -> lineEndpoint = value(args, ++i, "--line-endpoint");
          case "--http-endpoint" -> httpEndpoint = value(args, ++i, "--http-endpoint");
          case "--https-endpoint" -> httpsEndpoint = value(args, ++i, "--https-endpoint");
          case "--board" -> board = value(args, ++i, "--board");
          case "--board-ca" -> boardCa = Path.of(value(args, ++i, "--board-ca"));
          case "--proxy-protocol" -> proxyProtocol = value(args, ++i, "--proxy-protocol");
          case "--proxy-trust" -> proxyTrust = value(args, ++i, "--proxy-trust");
          case "--access-log" -> accessLog = true;
          case "--metrics" -> metrics = true;
          case "--drain-delay" ->
              drainDelay = count(value(args, i + 1, "--drain-delay"), args[i++], 0);
          default -> throw new IllegalArgumentException("unknown option: " + args[i]);
        }
      }
      if ((cert == null) != (key == null)) {
        throw new IllegalArgumentException("--cert and --key go together");
      }
      if (httpsEndpoint != null && !httpsEndpoint.toLowerCase(Locale.ROOT).startsWith("tls:")) {
        throw new IllegalArgumentException(
            "--https-endpoint takes a tls: endpoint (tls:8443:certificate=F:privateKey=F)");
      }
      if (!List.of("off", "optional", "required").contains(proxyProtocol)) {
        throw new IllegalArgumentException(
            "--proxy-protocol is off, optional or required, not " + proxyProtocol);
      }
      if (board != null && !board.startsWith("redis://") && !board.startsWith("rediss://")) {
        throw new IllegalArgumentException("--board takes a redis:// URI, not " + board);
      }
      if (boardCa != null && (board == null || !board.startsWith("rediss://"))) {
        throw new IllegalArgumentException("--board-ca goes with a --board rediss:// URI");
      }
      return new Options(
          host,
          echoPort,
          udpPort,
          linePort,
          httpPort,
          idle,
          maxConnections,
          maxPerPeer,
          socketBuffer,
          httpsPort,
          cert,
          key,
          echoEndpoint,
          lineEndpoint,
          httpEndpoint,
          httpsEndpoint,
          board,
          boardCa,
          proxyProtocol,
          proxyTrust,
          accessLog,
          drainDelay,
          metrics,
          help);
    }

    /** Returns the PROXY protocol policy of the TCP ports, or null when it is off. */
    ProxyProtocol proxy(ReactorTime time) {
      if (proxyProtocol.equals("off")) {
        return null;
      }
      ProxyProtocol.Builder builder = ProxyProtocol.builder(time);
      builder = proxyProtocol.equals("required") ? builder.required() : builder.optional();
      return builder.trust(proxyTrust.split(",")).build();
    }

    /** Returns true when the demo has a certificate: HTTPS, and STARTTLS on the line port. */
    boolean tls() {
      return httpsPort != NO_HTTPS || cert != null;
    }

    private static int count(String text, String option, int least) {
      try {
        int value = Integer.parseInt(text);
        if (value < least) {
          throw new IllegalArgumentException(option + " must be at least " + least + ": " + value);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " is not a number: " + text, e);
      }
    }

    /**
     * Wraps a factory of the echo or line port in the idle timeout and connection limits; {@code
     * metrics}, when not null, counts their refusals and timeouts as port {@code name}.
     */
    Factory<?> guarded(
        Reactor reactor, Factory<?> factory, String refusal, String name, DemoMetrics metrics) {
      Factory<?> guarded = factory;
      IdleTimeout idle = null;
      if (idleTimeoutSeconds > 0) {
        idle = IdleTimeout.of(reactor, Duration.ofSeconds(idleTimeoutSeconds));
        guarded = idle.wrap(guarded);
      }
      ConnectionLimits limits =
          ConnectionLimits.builder()
              .maxConnections(maxConnections)
              .maxPerPeer(maxPerPeer)
              .refusal(refusal)
              .build();
      if (metrics != null) {
        metrics.port(name, limits, idle);
      }
      return limits.wrap(guarded);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }

    private static int port(String text, String option) {
      try {
        int port = Integer.parseInt(text);
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException(option + " out of range: " + port);
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " is not a number: " + text, e);
      }
    }
  }

  /**
   * Returns the demo's TLS options: from --cert and --key, or a self-signed certificate made now,
   * written to a new temporary directory that {@code notices} names.
   */
  static TlsServerOptions tls(Options options, List<String> notices) throws IOException {
    Identity identity;
    if (options.cert() != null) {
      identity = Identity.fromPem(options.cert(), options.key());
    } else {
      Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
      if (!options.host().equals("0.0.0.0") && !options.host().equals("::")) {
        names.add(options.host());
      }
      SelfSignedCertificate made = SelfSignedCertificate.generate(names.toArray(new String[0]));
      Path dir = Files.createTempDirectory("torsion-demo-tls");
      Path cert = dir.resolve("cert.pem");
      made.writePem(cert, dir.resolve("key.pem"));
      notices.add(
          "torsion-demo: no --cert given: made a self-signed certificate for "
              + String.join(", ", names)
              + " at "
              + cert
              + " (trust it: curl --cacert "
              + cert
              + " https://...)");
      identity = made.identity();
    }
    return TlsServerOptions.builder(identity).applicationProtocols("http/1.1").build();
  }

  /** Creates the reactor and binds every port; the reactor is set up on the calling thread. */
  static Demo start(Options options) throws IOException {
    return start(options, new ArrayList<>());
  }

  /** Starts as {@link #start(Options)}, adding what the user should know to {@code notices}. */
  static Demo start(Options options, List<String> notices) throws IOException {
    TlsServerOptions tls = options.tls() ? tls(options, notices) : null;
    ReactorOptions.Builder reactorOptions =
        ReactorOptions.builder().socketBuffers(options.socketBuffer(), options.socketBuffer());
    if (options.drainDelaySeconds() > 0) {
      reactorOptions.shutdownTimeout(
          Duration.ofSeconds(
              options.drainDelaySeconds() + ReactorOptions.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS));
    }
    Reactor reactor = Reactor.create(reactorOptions.build());
    try {
      // Shared by HTTP, WebSocket and the line protocol: one reactor thread, no locks.
      Board board;
      Readiness readiness;
      if (options.board() != null) {
        RedisOptions redis =
            options.boardCa() == null
                ? RedisOptions.defaults()
                : RedisOptions.builder()
                    .tls(
                        TlsClientOptions.builder()
                            .trust(TrustRoots.fromPem(options.boardCa()))
                            .build())
                    .build();
        RedisBoard shared = RedisBoard.open(RedisClient.create(reactor, options.board(), redis));
        board = shared;
        readiness = new Readiness(shared::available);
      } else {
        board = new LocalBoard();
        readiness = new Readiness();
      }
      drainOnShutdown(reactor, readiness, options.drainDelaySeconds());
      DemoMetrics metrics = options.metrics() ? new DemoMetrics(reactor) : null;
      ProxyProtocol proxy = options.proxy(reactor);
      EndpointPort echo =
          listen(
              reactor,
              options.echoEndpoint(),
              options.echoPort(),
              options.host(),
              proxied(
                  proxy,
                  options.echoEndpoint(),
                  options.guarded(reactor, Factory.of(Echo::new), "", "echo", metrics)));
      DatagramTransport udp =
          reactor.listenUDP(options.udpPort(), options.host(), new DatagramEcho());
      EndpointPort line =
          listen(
              reactor,
              options.lineEndpoint(),
              options.linePort(),
              options.host(),
              proxied(
                  proxy,
                  options.lineEndpoint(),
                  options.guarded(
                      reactor,
                      new CommandProtocol.Server(reactor, Clock.systemUTC(), board, tls),
                      "ERROR too many connections\r\n",
                      "line",
                      metrics)));
      if (options.accessLog()) {
        AccessLogToStdout.install();
      }
      HttpOptions.Builder httpOptions = HttpOptions.builder().accessLog(options.accessLog());
      if (metrics != null) {
        httpOptions.observer(metrics.observer());
        metrics.start();
      }
      HttpServer web =
          HttpServer.create(
              reactor,
              DemoHttp.router(reactor, board, readiness, metrics == null ? null : metrics.route()),
              httpOptions.build());
      EndpointPort http =
          listen(
              reactor,
              options.httpEndpoint(),
              options.httpPort(),
              options.host(),
              proxied(proxy, options.httpEndpoint(), web));
      EndpointPort https;
      if (options.httpsEndpoint() != null) {
        if (proxy != null) {
          throw new IllegalArgumentException(
              "--proxy-protocol applies to --https-port, not to --https-endpoint");
        }
        https = Endpoints.server(reactor, options.httpsEndpoint()).listen(web);
      } else if (options.httpsPort() != Options.NO_HTTPS) {
        https =
            EndpointPort.of(
                proxy == null
                    ? reactor.listenSSL(options.httpsPort(), options.host(), web, tls)
                    // the header comes in plaintext before the TLS handshake
                    : reactor.listenTCP(options.httpsPort(), options.host(), proxy.wrap(web, tls)));
      } else {
        https = null;
      }
      return new Demo(reactor, echo, udp, line, http, https, options.host());
    } catch (CannotListenError | RuntimeException e) {
      reactor.stop();
      throw e;
    }
  }

  /**
   * Returns {@code factory} behind the PROXY protocol policy, if there is one, unless it listens on
   * a {@code haproxy:} endpoint, which reads the header itself.
   */
  private static Factory<?> proxied(ProxyProtocol proxy, String endpoint, Factory<?> factory) {
    boolean readsItsOwn =
        endpoint != null && endpoint.toLowerCase(Locale.ROOT).startsWith("haproxy:");
    return proxy == null || readsItsOwn ? factory : proxy.wrap(factory);
  }

  /**
   * On SIGTERM (or any stop), before the ports close: {@code /readyz} answers 503 at once, and
   * everything is served as before for {@code seconds}, so a load balancer that checks it takes the
   * process out first (Kubernetes: readiness flips, a grace period, then the close).
   */
  private static void drainOnShutdown(Reactor reactor, Readiness readiness, int seconds) {
    reactor.addSystemEventTrigger(
        TriggerPhase.BEFORE,
        SystemEvent.SHUTDOWN,
        () -> {
          readiness.drain();
          if (seconds == 0) {
            return null;
          }
          Deferred<Void> served = new Deferred<>();
          reactor.callLater(Duration.ofSeconds(seconds), () -> served.callback(null));
          return served;
        });
  }

  /** Listens as {@code endpoint} says, or, without one, on TCP {@code host:port}. */
  private static EndpointPort listen(
      Reactor reactor, String endpoint, int port, String host, Factory<?> factory)
      throws CannotListenError {
    return endpoint != null
        ? Endpoints.server(reactor, endpoint).listen(factory)
        : EndpointPort.of(reactor.listenTCP(port, host, factory));
  }

  /** Returns the line scripts read: reactor, how it was chosen, and every address served. */
  String banner() {
    return "torsion-demo: "
        + reactor.report().summary()
        + " echo="
        + echo.describe()
        + " line="
        + line.describe()
        + " http="
        + http.describe()
        + " udp="
        + (host.contains(":") ? "[" + host + "]" : host)
        + ":"
        + udp.getHost().getPort()
        + (https == null ? "" : " https=" + https.describe());
  }

  Reactor reactor() {
    return reactor;
  }

  /** Runs the demo; exits with 0 after a signal, 1 on a start-up error, 2 on bad arguments. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("torsion-demo: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(USAGE);
      return 0;
    }
    Demo demo;
    List<String> notices = new ArrayList<>();
    try {
      demo = start(options, notices);
    } catch (ReactorUnavailableException | IOException e) {
      err.println("torsion-demo: " + e.getMessage());
      return 1;
    } catch (EndpointSyntaxError e) {
      err.println("torsion-demo: " + e.getMessage());
      return 2;
    }
    out.println(demo.banner());
    notices.forEach(out::println);
    out.flush();
    demo.reactor
        .run(); // SIGINT and SIGTERM stop it: in-flight work finishes within the grace period
    return 0;
  }
}
