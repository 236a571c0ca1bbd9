package io.torsion.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server against real clients on loopback; a client that is not installed is skipped, saying
 * so.
 */
class HttpInteropTest {
  private static BackgroundReactor background;
  private static int port;

  @BeforeAll
  static void startServer() {
    background = BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()));
    Router router =
        Router.builder()
            .get(
                "/plaintext",
                (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
            .post(
                "/echo",
                (request, params) ->
                    Deferred.succeed(
                        HttpResponse.bytes(200, "application/octet-stream", request.body())))
            .get(
                "/delay",
                (request, params) -> {
                  Deferred<HttpResponse> later = new Deferred<>();
                  background
                      .reactor()
                      .callLater(
                          Duration.ofMillis(20),
                          () -> later.callback(HttpResponse.text(200, "late")));
                  return later;
                })
            .build();
    port =
        background.call(
            () ->
                background
                    .reactor()
                    .listenTCP(0, "127.0.0.1", HttpServer.create(background.reactor(), router))
                    .port());
  }

  @AfterAll
  static void stopServer() {
    background.close();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static String run(String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      Assumptions.abort(command[0] + " is not installed here: " + notInstalled.getMessage());
      return null;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + " said: " + output).isZero();
    return output;
  }

  @Test
  void theJdkHttpClientKeepsTheConnectionAliveAndEchoesLargeBodies() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 3; i++) {
      var response =
          client.send(
              HttpRequest.newBuilder(URI.create(url("/plaintext"))).build(),
              BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Hello, World!");
    }
    byte[] body = new byte[512 * 1024];
    new Random(5).nextBytes(body);
    var echoed =
        client.send(
            HttpRequest.newBuilder(URI.create(url("/echo")))
                .POST(BodyPublishers.ofByteArray(body))
                .build(),
            BodyHandlers.ofByteArray());
    assertThat(Arrays.equals(echoed.body(), body)).isTrue();
    var late =
        client.send(
            HttpRequest.newBuilder(URI.create(url("/delay"))).build(), BodyHandlers.ofString());
    assertThat(late.body()).isEqualTo("late");
  }

  @Test
  void staticFilesAreReadOnThePoolAndServedWithRanges() throws Exception {
    Path root = Files.createTempDirectory("static");
    Files.writeString(root.resolve("data.txt"), "abcdefghij");
    int filesPort =
        background.call(
            () ->
                background
                    .reactor()
                    .listenTCP(
                        0,
                        "127.0.0.1",
                        HttpServer.create(
                            background.reactor(),
                            StaticFiles.serve(root, "/", background.reactor())))
                    .port());
    HttpClient client = HttpClient.newHttpClient();
    var whole =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + filesPort + "/data.txt"))
                .build(),
            BodyHandlers.ofString());
    assertThat(whole.body()).isEqualTo("abcdefghij");
    var part =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + filesPort + "/data.txt"))
                .header("Range", "bytes=3-5")
                .build(),
            BodyHandlers.ofString());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo("def");
  }

  @Test
  void curlSpeaksHttp10HeadAndChunkedUploads() throws Exception {
    assertThat(run("curl", "-sS", "--http1.0", url("/plaintext"))).isEqualTo("Hello, World!");
    assertThat(run("curl", "-sS", "-I", url("/plaintext")))
        .startsWith("HTTP/1.1 200 OK")
        .contains("Content-Length: 13");
    Path upload = Files.createTempFile("upload", ".txt");
    Files.writeString(upload, "chunked upload body");
    assertThat(
            run(
                "curl",
                "-sS",
                "-H",
                "Transfer-Encoding: chunked",
                "--data-binary",
                "@" + upload,
                url("/echo")))
        .isEqualTo("chunked upload body");
    assertThat(run("curl", "-sS", url("/plaintext"), url("/plaintext")))
        .isEqualTo("Hello, World!Hello, World!");
  }

  @Test
  void pythonsHttpClientAndTwistedsWebClientAgree() throws Exception {
    String python =
        """
        import http.client
        c = http.client.HTTPConnection('127.0.0.1', %d)
        for _ in range(2):
            c.request('GET', '/plaintext'); r = c.getresponse(); print(r.status, r.read().decode())
        c.request('POST', '/echo', body=b'py'); print(c.getresponse().read().decode())
        """
            .formatted(port);
    assertThat(run("/usr/bin/python3", "-c", python))
        .isEqualTo("200 Hello, World!\n200 Hello, World!\npy\n");
    try {
      run("/usr/bin/python3", "-c", "import twisted.web.client");
    } catch (AssertionError missing) {
      Assumptions.abort("Twisted's web client (python3-twisted) is not installed");
    }
    String twisted =
        """
        from twisted.internet import reactor
        from twisted.web.client import Agent, readBody
        d = Agent(reactor).request(b'GET', b'http://127.0.0.1:%d/plaintext')
        d.addCallback(lambda r: (print(r.code), readBody(r))[1])
        d.addCallback(lambda body: print(body.decode()))
        d.addBoth(lambda _: reactor.stop())
        reactor.callLater(30, reactor.stop)
        reactor.run()
        """
            .formatted(port);
    assertThat(run("/usr/bin/python3", "-W", "ignore", "-c", twisted))
        .isEqualTo("200\nHello, World!\n");
  }

  @Test
  void rawSocketsGetTheirErrorAndTheServerGoesOn() throws Exception {
    List<String> answers = new ArrayList<>();
    for (String request :
        List.of(
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /plaintext HTTP/1.1\r\nHost: h\r\n\r\n")) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.shutdownOutput();
        answers.add(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
      }
    }
    assertThat(answers.get(0))
        .startsWith("HTTP/1.1 400 Bad Request")
        .contains("both Content-Length and Transfer-Encoding");
    assertThat(answers.get(1)).startsWith("HTTP/1.1 200 OK").endsWith("Hello, World!");
  }
}
