package io.torsion.examples;

import io.torsion.CannotListenError;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.Reactor;
import io.torsion.ReactorUnavailableException;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.http.HttpServer;
import java.time.Clock;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Torsion demo: one reactor serving echo on {@code --echo-port}, a line-based command
 * protocol ({@link CommandProtocol}) on {@code --line-port} and HTTP ({@link DemoHttp}) on {@code
 * --http-port}. Prints one line that scripts can read, e.g. {@code torsion-demo: reactor=epoll
 * chosen=auto echo=127.0.0.1:8000 line=127.0.0.1:8001 http=127.0.0.1:8080}, and the reactor's full
 * selection report below it; stops cleanly on SIGINT or SIGTERM.
 *
 * <pre>
 * java -jar examples/target/torsion-demo.jar [--host 127.0.0.1] [--echo-port 8000]
 * java -Dtorsion.reactor=nio -jar examples/target/torsion-demo.jar
 * </pre>
 */
public final class Demo {
  static final String USAGE = String.join("\n",
      "usage: java [-Dtorsion.reactor=NAME] -jar torsion-demo.jar [options]",
      "",
      "Serves echo (RFC 862), a line-based command protocol and HTTP on one Torsion reactor.",
      "",
      "options:",
      "  --host ADDRESS     address to bind (default 127.0.0.1)",
      "  --echo-port PORT   echo port (default 8000; 0 picks a free port)",
      "  --line-port PORT   command protocol port (default 8001; 0 picks a free port)",
      "  --http-port PORT   HTTP port (default 8080; 0 picks a free port): /plaintext, POST /echo,",
      "                     /delay?ms=N, /stream?chunks=N",
      "  --help             print this help and exit",
      "",
      "The reactor's transport is chosen automatically (epoll on Linux, kqueue on macOS,",
      "iocp on Windows, nio elsewhere); -Dtorsion.reactor=NAME or TORSION_REACTOR=NAME forces one.");

  private final Reactor reactor;
  private final ListeningPort echo;
  private final ListeningPort line;
  private final ListeningPort http;
  private final String host;

  private Demo(Reactor reactor, ListeningPort echo, ListeningPort line, ListeningPort http, String host) {
    this.reactor = reactor;
    this.echo = echo;
    this.line = line;
    this.http = http;
    this.host = host;
  }

  /** The command-line options. */
  record Options(String host, int echoPort, int linePort, int httpPort, boolean help) {
    static Options parse(String... args) {
      String host = "127.0.0.1";
      int echoPort = 8000;
      int linePort = 8001;
      int httpPort = 8080;
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> help = true;
          case "--host" -> host = value(args, ++i, "--host");
          case "--echo-port" -> echoPort = port(value(args, i + 1, "--echo-port"), args[i++]);
          case "--line-port" -> linePort = port(value(args, i + 1, "--line-port"), args[i++]);
          case "--http-port" -> httpPort = port(value(args, i + 1, "--http-port"), args[i++]);
          default -> throw new IllegalArgumentException("unknown option: " + args[i]);
        }
      }
      return new Options(host, echoPort, linePort, httpPort, help);
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

  /** Creates the reactor and binds every port; the reactor is set up on the calling thread. */
  static Demo start(Options options) throws CannotListenError {
    Reactor reactor = Reactor.create();
    Board board = new Board(); // shared by HTTP and the line protocol: one reactor thread, no locks
    try {
      ListeningPort echo = reactor.listenTCP(options.echoPort(), options.host(), Factory.of(Echo::new));
      ListeningPort line = reactor.listenTCP(options.linePort(), options.host(),
          new CommandProtocol.Server(reactor, Clock.systemUTC(), board));
      ListeningPort http = reactor.listenTCP(options.httpPort(), options.host(), HttpServer.create(reactor, DemoHttp.router(reactor, board)));
      return new Demo(reactor, echo, line, http, options.host());
    } catch (CannotListenError | RuntimeException e) {
      reactor.stop();
      throw e;
    }
  }

  /** Returns the line scripts read: reactor, how it was chosen, and every address served. */
  String banner() {
    return "torsion-demo: " + reactor.report().summary() + " echo=" + address(echo) + " line=" + address(line) + " http=" + address(http);
  }

  private String address(ListeningPort port) {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return shown + ":" + port.port();
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
    try {
      demo = start(options);
    } catch (CannotListenError | ReactorUnavailableException e) {
      err.println("torsion-demo: " + e.getMessage());
      return 1;
    }
    out.println(demo.banner());
    out.flush();
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopper = new Thread(() -> {
      demo.reactor.stop();
      try {
        finished.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "torsion-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      demo.reactor.run();
    } finally {
      finished.countDown();
    }
    return 0;
  }
}
