package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.torsion.testing.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo as one of a fleet: its board in a real Redis shared by two demo processes (a change made
 * through one is pushed to a line client of the other), the PROXY protocol on its ports (limits
 * count the client the header names), {@code /healthz} and {@code /readyz} (503 while Redis is
 * down, and from the moment a drain begins, while it still serves).
 */
@Timeout(120)
class DemoFleetTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static RunningDemo demo(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--echo-port", "0", "--line-port", "0", "--http-port", "0"));
    args.addAll(List.of(more));
    return RunningDemo.start(new ArrayList<>(), args.toArray(new String[0]));
  }

  /**
   * Sends {@code before} (a PROXY header, or nothing) and a GET of {@code path} on a new
   * connection.
   */
  private static String raw(int port, String before, String path) throws Exception {
    try (Socket http = new Socket("127.0.0.1", port)) {
      http.getOutputStream()
          .write(
              (before + "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(http.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** A line client: reads the greeting, then sends and reads lines. */
  private static final class LineClient implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;

    LineClient(int port, String proxyHeader) throws java.io.IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
      if (proxyHeader != null) {
        socket.getOutputStream().write(proxyHeader.getBytes(StandardCharsets.US_ASCII));
      }
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    String send(String line) throws Exception {
      OutputStream out = socket.getOutputStream();
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return in.readLine();
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  @Test
  void twoDemosShareTheBoardInRedisAndAWatchOnOneHearsASetThroughTheOther() throws Exception {
    String missing = RedisServer.requirePresent();
    assumeTrue(missing == null, missing);
    RedisServer redis = RedisServer.start();
    try (RunningDemo one = demo("--board", redis.uri());
        RunningDemo two = demo("--board", redis.uri())) {
      assertThat(get(one.port("http"), "/readyz").statusCode()).isEqualTo(200);
      try (LineClient watcher = new LineClient(one.port("line"), null)) {
        assertThat(watcher.in.readLine()).startsWith("WELCOME");
        assertThat(watcher.send("WATCH")).isEqualTo("WATCHING");
        HttpResponse<String> put =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + two.port("http") + "/kv/color"))
                    .PUT(HttpRequest.BodyPublishers.ofString("blue"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(204);
        assertThat(watcher.in.readLine()).isEqualTo("UPDATE color blue");
        // Pipelined commands on one line connection are answered in their order.
        OutputStream out = watcher.socket.getOutputStream();
        out.write(
            "SET shape round\r\nGET shape\r\nECHO after\r\nGET nothing\r\n"
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          answers.add(watcher.in.readLine());
        }
        assertThat(answers)
            .containsExactlyInAnyOrder("OK", "UPDATE shape round", "VALUE round", "after", "NONE");
        assertThat(answers.stream().filter(a -> !a.startsWith("UPDATE")).toList())
            .containsExactly("OK", "VALUE round", "after", "NONE");
      }
      assertThat(get(two.port("http"), "/kv/shape").body()).isEqualTo("round\n");
      assertThat(get(two.port("http"), "/kv").body()).isEqualTo("color=blue\nshape=round\n");
      HttpResponse<String> bad =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + two.port("http") + "/kv/no%20spaces"))
                  .PUT(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);

      redis.close(); // Redis goes away: not ready, and the board answers 503, not a hang
      HttpResponse<String> ready = get(one.port("http"), "/readyz");
      for (int i = 0; i < 100 && ready.statusCode() == 200; i++) {
        ready = get(one.port("http"), "/readyz"); // until the client has seen the loss
      }
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("Redis is unavailable");
      assertThat(get(one.port("http"), "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(one.port("http"), "/kv/color").statusCode()).isEqualTo(503);
    } finally {
      redis.close();
    }
  }

  @Test
  void aBoardInRedisOverTlsVerifiedWithTheGivenRoots(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String missing = RedisServer.requirePresent();
    assumeTrue(missing == null, missing);
    io.torsion.tls.SelfSignedCertificate certificate =
        io.torsion.tls.SelfSignedCertificate.generate("127.0.0.1");
    java.nio.file.Path cert = dir.resolve("cert.pem");
    certificate.writePem(cert, dir.resolve("key.pem"));
    try (RedisServer redis = RedisServer.startTls(cert, dir.resolve("key.pem"));
        RunningDemo demo = demo("--board", redis.uri(), "--board-ca", cert.toString())) {
      int http = demo.port("http");
      HttpResponse<String> put =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/kv/secret"))
                  .PUT(HttpRequest.BodyPublishers.ofString("kept"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(204);
      assertThat(get(http, "/kv/secret").body()).isEqualTo("kept\n");
    }
  }

  @Test
  void behindAProxyTheLimitsCountTheClientTheHeaderNames() throws Exception {
    try (RunningDemo demo = demo("--proxy-protocol", "required", "--max-per-peer", "1")) {
      int line = demo.port("line");
      try (LineClient first =
              new LineClient(line, "PROXY TCP4 203.0.113.9 127.0.0.1 40001 8001\r\n");
          LineClient second =
              new LineClient(line, "PROXY TCP4 203.0.113.9 127.0.0.1 40002 8001\r\n");
          LineClient other =
              new LineClient(line, "PROXY TCP4 203.0.113.10 127.0.0.1 40003 8001\r\n")) {
        assertThat(first.in.readLine()).startsWith("WELCOME");
        assertThat(second.in.readLine()).isEqualTo("ERROR too many connections");
        assertThat(other.in.readLine()).startsWith("WELCOME");
      }
      try (LineClient direct = new LineClient(line, null)) {
        direct.socket.getOutputStream().write("HELP\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(direct.in.readLine()).isNull(); // required: closed without a header
      }
      assertThat(
              raw(demo.port("http"), "PROXY TCP4 198.51.100.1 127.0.0.1 5555 80\r\n", "/healthz"))
          .startsWith("HTTP/1.1 200")
          .endsWith("alive\n");
    }
  }

  @Test
  void metricsAtSlashMetricsMoveWithConnectionsRequestsAndRefusals() throws Exception {
    try (RunningDemo demo = demo("--metrics", "--max-connections", "1")) {
      int http = demo.port("http");
      String before = get(http, "/metrics").body();
      assertThat(get(http, "/plaintext").statusCode()).isEqualTo(200);
      assertThat(get(http, "/kv/none").statusCode()).isEqualTo(404);
      try (LineClient first = new LineClient(demo.port("line"), null);
          LineClient second = new LineClient(demo.port("line"), null)) {
        assertThat(first.in.readLine()).startsWith("WELCOME");
        assertThat(second.in.readLine()).isEqualTo("ERROR too many connections");
      }
      HttpResponse<String> scraped = get(http, "/metrics");
      assertThat(scraped.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      String after = scraped.body();
      assertThat(
              count(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"GET\",outcome=\"completed\",service=\"torsion-demo\",status=\"2xx\"}"))
          .isGreaterThan(
              count(
                  before,
                  "torsion_http_server_requests_seconds_count{method=\"GET\",outcome=\"completed\",service=\"torsion-demo\",status=\"2xx\"}"));
      assertThat(
              count(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"GET\",outcome=\"completed\",service=\"torsion-demo\",status=\"4xx\"}"))
          .isEqualTo(1);
      assertThat(
              count(
                  after,
                  "torsion_connections_refused_total{port=\"line\",service=\"torsion-demo\"}"))
          .isEqualTo(1);
      assertThat(count(after, "torsion_connections_opened_total{service=\"torsion-demo\"}"))
          .isGreaterThan(
              count(before, "torsion_connections_opened_total{service=\"torsion-demo\"}"));
      assertThat(after)
          .contains("torsion_reactor_loop_latency_seconds_count")
          .contains("torsion_bytes_read_bytes_total");
    }
    try (RunningDemo plain = demo()) {
      assertThat(get(plain.port("http"), "/metrics").statusCode())
          .isEqualTo(404); // only with --metrics
    }
  }

  /** Returns the value of {@code series} in a Prometheus scrape, or -1 when it is absent. */
  private static double count(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    return -1;
  }

  @Test
  void theAccessLogNamesTheClientThePROXYHeaderGave() throws Exception {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try (RunningDemo demo = demo("--access-log", "--proxy-protocol", "optional")) {
      assertThat(
              raw(
                  demo.port("http"),
                  "PROXY TCP4 198.51.100.77 127.0.0.1 5555 80\r\n",
                  "/plaintext"))
          .startsWith("HTTP/1.1 200");
      assertThat(get(demo.port("http"), "/healthz").statusCode()).isEqualTo(200); // no header
    } finally {
      System.setOut(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .containsPattern(
            "(?m)^198\\.51\\.100\\.77 - - \\[[^]]+\\] \"GET /plaintext HTTP/1\\.1\" 200 13 \\d+$");
    assertThat(log)
        .containsPattern(
            "(?m)^127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /healthz HTTP/1\\.1\" 200 6 \\d+$");
  }

  @Test
  void aHaproxyEndpointReadsTheHeaderOnceEvenWithProxyProtocolOn() throws Exception {
    try (RunningDemo demo =
        demo(
            "--http-endpoint",
            "haproxy:tcp:0:interface=127.0.0.1",
            "--proxy-protocol",
            "required")) {
      assertThat(
              raw(demo.port("http"), "PROXY TCP4 198.51.100.1 127.0.0.1 5555 80\r\n", "/healthz"))
          .startsWith("HTTP/1.1 200")
          .endsWith("alive\n");
    }
  }

  @Test
  void onTheHttpsPortTheHeaderComesInPlaintextBeforeTheHandshake() throws Exception {
    try (RunningDemo demo = demo("--https-port", "0", "--proxy-protocol", "required")) {
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(
          null,
          new javax.net.ssl.TrustManager[] {
            new javax.net.ssl.X509TrustManager() { // the demo's self-signed certificate
              @Override
              public void checkClientTrusted(
                  java.security.cert.X509Certificate[] chain, String a) {}

              @Override
              public void checkServerTrusted(
                  java.security.cert.X509Certificate[] chain, String a) {}

              @Override
              public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
              }
            }
          },
          null);
      try (Socket plain = new Socket("127.0.0.1", demo.port("https"))) {
        plain
            .getOutputStream()
            .write(
                "PROXY TCP4 192.0.2.44 127.0.0.1 4444 443\r\n".getBytes(StandardCharsets.US_ASCII));
        try (javax.net.ssl.SSLSocket secure =
            (javax.net.ssl.SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(plain, "localhost", plain.getPort(), false)) {
          secure
              .getOutputStream()
              .write(
                  "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
          String response =
              new String(secure.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
          assertThat(response).startsWith("HTTP/1.1 200").endsWith("alive\n");
        }
      }
    }
  }

  @Test
  void aDrainFlipsReadinessAtOnceAndServesUntilTheDelayEnds() throws Exception {
    RunningDemo demo = demo("--drain-delay", "3");
    try {
      int http = demo.port("http");
      assertThat(get(http, "/readyz").statusCode()).isEqualTo(200);
      demo.demo().reactor().stop(); // as SIGTERM does
      HttpResponse<String> ready = get(http, "/readyz");
      for (int i = 0; i < 100 && ready.statusCode() == 200; i++) {
        ready = get(http, "/readyz"); // until the reactor thread has begun the drain
      }
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("draining\n");
      // Still served, on a new connection too: the ports close only once the delay has passed.
      assertThat(raw(http, "", "/plaintext")).startsWith("HTTP/1.1 200").endsWith("Hello, World!");
    } finally {
      demo.close(); // the delay ends, the ports close, the reactor stops
    }
  }
}
