package io.torsion.protocols.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.testing.Nginx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against real servers on loopback: nginx (Debian's nginx-light), Python's {@code
 * http.server} and Twisted's web server; one that is not installed is skipped, saying so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpClientInteropTest {
  @TempDir Path site;
  private BackgroundReactor background;
  private HttpClient client;
  private byte[] large;

  @BeforeEach
  void start() throws IOException {
    background = BackgroundReactor.start(Reactor.create());
    client = background.call(() -> HttpClient.create(background.reactor()));
    Files.writeString(site.resolve("index.html"), "<a href=\"/a.html\">a</a>");
    large = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(large);
    Files.write(site.resolve("large.bin"), large);
  }

  @AfterEach
  void stop() {
    background.close();
  }

  private ClientResponse send(Supplier<Deferred<ClientResponse>> request) throws Exception {
    CompletableFuture<ClientResponse> future =
        background.call(() -> request.get().toCompletableFuture());
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void nginxKeepsOneConnectionForManyRequestsAndRedirects() throws Exception {
    Assumptions.assumeTrue(
        Nginx.installed(), "nginx is not installed (apt-get install nginx-light)");
    try (Nginx nginx =
        Nginx.start(
            site,
            "location = /old { return 301 /index.html; }\n"
                + "location = /chunked { return 200 'x'; chunked_transfer_encoding on; }")) {
      String base = "http://127.0.0.1:" + nginx.port();
      for (int i = 0; i < 20; i++) {
        ClientResponse index = send(() -> client.get(base + "/index.html"));
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.bodyText()).contains("href");
      }
      assertThat(send(() -> client.get(base + "/large.bin")).body()).isEqualTo(large);
      assertThat(send(() -> client.get(base + "/missing")).status()).isEqualTo(404);
      ClientResponse head =
          send(() -> client.request(ClientRequest.builder("HEAD", base + "/large.bin").build()));
      assertThat(head.headers().get("Content-Length")).isEqualTo(String.valueOf(large.length));
      assertThat(send(() -> client.get(base + "/old")).status()).isEqualTo(301);
      ClientResponse followed =
          send(
              () ->
                  client.request(
                      ClientRequest.builder("GET", base + "/old").followRedirects(3).build()));
      assertThat(followed.uri().getPath()).isEqualTo("/index.html");
      assertThat(send(() -> client.post(base + "/index.html", "text/plain", new byte[10])).status())
          .isEqualTo(405);
      assertThat(background.call(client::connectionsOpened))
          .as("nginx keeps the connection alive, even after a 404 and a 405")
          .isEqualTo(1);
    }
  }

  @Test
  void pythonsHttpServerAnswersHttp10AndClosesEachConnection() throws Exception {
    Process python =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
                site.toString())
            .redirectErrorStream(true)
            .start();
    try {
      int port = portFrom(python, Pattern.compile("port (\\d+)"));
      String base = "http://127.0.0.1:" + port;
      for (int i = 0; i < 3; i++) {
        ClientResponse index = send(() -> client.get(base + "/index.html"));
        assertThat(index.version()).isEqualTo("HTTP/1.0");
        assertThat(index.bodyText()).contains("href");
      }
      assertThat(send(() -> client.get(base + "/large.bin")).body()).isEqualTo(large);
      assertThat(send(() -> client.get(base + "/missing")).status()).isEqualTo(404);
      assertThat(background.call(client::connectionsOpened))
          .as("HTTP/1.0 without keep-alive: a connection each")
          .isEqualTo(5);
    } finally {
      python.destroy();
      python.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void twistedsWebServerSendsChunkedBodiesOverKeepAlive() throws Exception {
    String script =
        """
        import sys
        from twisted.internet import reactor
        from twisted.web import server, resource
        class Chunks(resource.Resource):
            isLeaf = True
            def render_GET(self, request):
                for i in range(5):
                    request.write(b'chunk%d;' % i)
                request.finish()
                return server.NOT_DONE_YET
            def render_POST(self, request):
                return b'posted ' + request.content.read()
        port = reactor.listenTCP(0, server.Site(Chunks()), interface='127.0.0.1')
        print('port', port.getHost().port, flush=True)
        reactor.run()
        """;
    Process twisted;
    try {
      twisted =
          new ProcessBuilder("/usr/bin/python3", "-W", "ignore", "-c", script)
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      Assumptions.abort("python3 is not installed: " + e.getMessage());
      return;
    }
    try {
      int port = portFrom(twisted, Pattern.compile("^port (\\d+)"));
      String base = "http://127.0.0.1:" + port;
      for (int i = 0; i < 3; i++) {
        ClientResponse chunked = send(() -> client.get(base + "/"));
        assertThat(chunked.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(chunked.bodyText()).isEqualTo("chunk0;chunk1;chunk2;chunk3;chunk4;");
      }
      assertThat(
              send(() ->
                      client.post(base + "/", "text/plain", "hi".getBytes(StandardCharsets.UTF_8)))
                  .bodyText())
          .isEqualTo("posted hi");
      assertThat(background.call(client::connectionsOpened)).isEqualTo(1);
    } finally {
      twisted.destroy();
      twisted.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Reads the process's output until a line matches, and returns the port it names. */
  private static int portFrom(Process process, Pattern line) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String text;
    while ((text = out.readLine()) != null) {
      seen.append(text).append('\n');
      if (text.contains("No module named 'twisted'")) {
        Assumptions.abort("Twisted (python3-twisted) is not installed");
      }
      Matcher found = line.matcher(text);
      if (found.find()) {
        Thread drain = new Thread(() -> drain(out), "drain");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(found.group(1));
      }
    }
    throw new AssertionError("the server printed no port: " + seen);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // keeps the pipe from filling
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
