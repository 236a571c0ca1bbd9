package io.torsion.protocols.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.testing.kit.TlsFixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server and the client over real sockets, ws:// and wss://, with each other and with an
 * independent implementation: Autobahn's own library (Debian's python3-autobahn, on Twisted), both
 * directions, compression on and off.
 */
class WebSocketOnSocketsTest {
  // the largest message: the transport's default write buffer limit (16 MiB) bounds a whole one
  private static final int BIG = 16 << 20;
  private static BackgroundReactor background;
  private static int port;
  private static int tlsPort;
  private static final List<CloseStatus> serverCloses = new ArrayList<>();

  /** Echoes every message; records how it closed. */
  static final class Echo extends WebSocketProtocol {
    @Override
    protected void onText(String text) {
      sendText(text);
    }

    @Override
    protected void onBinary(byte[] data) {
      sendBinary(data);
    }

    @Override
    protected void onClose(CloseStatus status) {
      synchronized (serverCloses) {
        serverCloses.add(status);
      }
    }
  }

  /** A client that queues what it hears. */
  static final class Client extends WebSocketProtocol {
    final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

    @Override
    protected void onText(String text) {
      heard.add(text);
    }

    @Override
    protected void onBinary(byte[] data) {
      heard.add(data);
    }

    @Override
    protected void onClose(CloseStatus status) {
      closed.complete(status);
    }

    Object next() throws InterruptedException {
      Object got = heard.poll(30, TimeUnit.SECONDS);
      assertThat(got).as("a message within 30 s").isNotNull();
      return got;
    }
  }

  @BeforeAll
  static void start() {
    background = BackgroundReactor.start(Reactor.create());
    Reactor reactor = background.reactor();
    WebSocketOptions large = WebSocketOptions.defaults().withLimits(BIG, BIG);
    Router router =
        Router.builder()
            .get(
                "/ws/echo",
                WebSocketServer.builder(reactor, r -> new Echo()).options(large).build())
            .build();
    port =
        background.call(
            () -> reactor.listenTCP(0, "127.0.0.1", HttpServer.create(reactor, router)).port());
    tlsPort =
        background.call(
            () ->
                reactor
                    .listenSSL(
                        0,
                        "127.0.0.1",
                        HttpServer.create(reactor, router),
                        TlsFixtures.serverOptions("jdk"))
                    .port());
  }

  @AfterAll
  static void stop() {
    background.close();
  }

  private static Client connect(String uri, WebSocketClient client) {
    Client protocol = new Client();
    CompletableFuture<Client> opened = new CompletableFuture<>();
    background.execute(
        () ->
            client
                .connect(background.reactor(), protocol)
                .addCallbacks(
                    p -> opened.complete(p), f -> opened.completeExceptionally(f.value())));
    return opened.orTimeout(30, TimeUnit.SECONDS).join();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void theClientAndTheServerEchoEverySizeClassOverWsAndWss(boolean compression) throws Exception {
    WebSocketOptions options =
        WebSocketOptions.defaults().withLimits(BIG, BIG).withCompression(compression);
    for (String uri :
        List.of("ws://127.0.0.1:" + port + "/ws/echo", "wss://localhost:" + tlsPort + "/ws/echo")) {
      WebSocketClient to =
          WebSocketClient.to(uri).options(options).tls(TlsFixtures.clientOptions("jdk"));
      Client client = connect(uri, to);
      background.call(() -> assertThat(client.compressed()).isEqualTo(compression));
      for (int size : new int[] {0, 125, 126, 65535, 65536, 1 << 20, 8 << 20}) {
        String text = "é".repeat(size / 2);
        byte[] binary = new byte[size];
        if (size > 0) {
          binary[size - 1] = 7;
        }
        // one at a time: a peer that writes 16 MiB while its echo comes back would, like any
        // peer that does not read, have its output held (and so both sides' reading)
        background.execute(() -> client.sendText(text));
        assertThat(client.next()).isEqualTo(text);
        background.execute(() -> client.sendBinary(binary));
        assertThat((byte[]) client.next()).isEqualTo(binary);
      }
      background.execute(() -> client.close(4001, "bye"));
      CloseStatus closed = client.closed.get(30, TimeUnit.SECONDS);
      assertThat(closed).isEqualTo(new CloseStatus(4001, "", true)); // the server echoes the code
    }
  }

  @Test
  void aHandshakeTheServerRefusesFailsTheConnectWithItsStatus() {
    Client protocol = new Client();
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    background.execute(
        () ->
            WebSocketClient.to("ws://127.0.0.1:" + port + "/nowhere")
                .connect(background.reactor(), protocol)
                .addErrback(
                    f -> {
                      failed.complete(f.value());
                      return null;
                    }));
    Throwable error = failed.orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(error).isInstanceOf(WebSocketHandshakeError.class);
    assertThat(((WebSocketHandshakeError) error).status()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- npm's ws

  private static Path wsModule;

  /** Installs npm's ws (8.x) once under target/, or skips with the reason. */
  private static synchronized Path requireNodeWs() throws Exception {
    if (wsModule == null) {
      Path prefix = Path.of("target", "node").toAbsolutePath();
      Path module = prefix.resolve("node_modules").resolve("ws");
      if (!Files.exists(module.resolve("package.json"))) {
        Process install;
        try {
          install =
              new ProcessBuilder(
                      "npm",
                      "install",
                      "--silent",
                      "--no-audit",
                      "--no-fund",
                      "--prefix",
                      prefix.toString(),
                      "ws@8")
                  .redirectErrorStream(true)
                  .start();
        } catch (java.io.IOException e) {
          Assumptions.abort("npm is not installed: " + e.getMessage());
          return null;
        }
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(
            install.waitFor(120, TimeUnit.SECONDS) && install.exitValue() == 0,
            "npm could not install ws: " + output);
      }
      wsModule = module;
    }
    return wsModule;
  }

  private static ProcessBuilder node(String... args) throws Exception {
    Path module = requireNodeWs();
    List<String> command = new ArrayList<>(List.of("node", script("ws_peer.js").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("WS_MODULE", module.toString());
    return builder;
  }

  @ParameterizedTest
  @ValueSource(strings = {"deflate", "plain"})
  void nodeWsClientIsEchoedByOurServer(String compression) throws Exception {
    Process client = node("client", "ws://127.0.0.1:" + port + "/ws/echo", compression).start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("ok 16 compressed=" + compression.equals("deflate"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void ourClientIsEchoedByNodeWsServer(boolean compression) throws Exception {
    Process server = node("server").start();
    OutputStream stdin = server.getOutputStream(); // closing it stops the server
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("ws said its port").startsWith("port ");
      String uri = "ws://127.0.0.1:" + Integer.parseInt(line.substring(5).trim()) + "/";
      echoRoundTrips(uri, compression);
    } finally {
      stdin.close();
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Connects our client to {@code uri} and checks echoes of every size class, then closes. */
  private static void echoRoundTrips(String uri, boolean compression) throws Exception {
    Client client =
        connect(
            uri,
            WebSocketClient.to(uri)
                .options(
                    WebSocketOptions.defaults().withLimits(BIG, BIG).withCompression(compression)));
    background.call(() -> assertThat(client.compressed()).isEqualTo(compression));
    for (int size : new int[] {0, 1, 125, 126, 65536, 1 << 20}) {
      String text = "κ".repeat(size / 2);
      byte[] binary = new byte[size];
      background.execute(() -> client.sendText(text));
      assertThat(client.next()).isEqualTo(text);
      background.execute(() -> client.sendBinary(binary));
      assertThat((byte[]) client.next()).isEqualTo(binary);
    }
    background.execute(() -> client.close(1000, "done"));
    assertThat(client.closed.get(30, TimeUnit.SECONDS).clean()).isTrue();
  }

  // ---------------------------------------------------------------- Autobahn's library

  private static void requireAutobahn() throws Exception {
    Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import autobahn.twisted").start();
    Assumptions.assumeTrue(
        check.waitFor() == 0, "Autobahn's library (Debian's python3-autobahn) is not installed");
  }

  private static Path script(String name) throws Exception {
    Path file = Files.createTempFile("ws-", ".py");
    try (var in = WebSocketOnSocketsTest.class.getResourceAsStream("/" + name)) {
      Files.write(file, in.readAllBytes());
    }
    file.toFile().deleteOnExit();
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"deflate", "plain"})
  void autobahnsClientIsEchoedByOurServer(String compression) throws Exception {
    requireAutobahn();
    Process client =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-W",
                "ignore",
                script("autobahn_client.py").toString(),
                "ws://127.0.0.1:" + port + "/ws/echo",
                compression)
            .redirectErrorStream(true)
            .start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .contains("ok 17 compressed=" + (compression.equals("deflate") ? "True" : "False"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void ourClientIsEchoedByAutobahnsServer(boolean compression) throws Exception {
    requireAutobahn();
    Process server =
        new ProcessBuilder(
                "/usr/bin/python3", "-W", "ignore", script("autobahn_echo_server.py").toString())
            .redirectErrorStream(true)
            .start();
    OutputStream stdin = server.getOutputStream(); // closing it stops the server
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int autobahnPort = -1;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("port ")) {
          autobahnPort = Integer.parseInt(line.substring(5).trim());
          break;
        }
      }
      assertThat(autobahnPort).as("Autobahn's server said its port").isPositive();
      echoRoundTrips("ws://127.0.0.1:" + autobahnPort + "/", compression);
    } finally {
      stdin.close();
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
