package io.torsion.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.torsion.BackgroundReactor;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.protocols.http.HttpOptions;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.protocols.policies.ConnectionLimits;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters on a real reactor and HTTP server, scraped in Prometheus's format, move. */
@Timeout(60)
class MetricsTest {
  private static double value(String scrape, String series) {
    Matcher found =
        Pattern.compile("^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$", Pattern.MULTILINE)
            .matcher(scrape);
    assertThat(found.find()).as(series + " in\n" + scrape).isTrue();
    return Double.parseDouble(found.group(1));
  }

  private static String request(int port, String raw) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void reactorAndHttpFiguresMoveAsConnectionsAndRequestsCome() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (BackgroundReactor background =
        BackgroundReactor.start(Reactor.create(ReactorOptions.defaults()))) {
      Reactor reactor = background.reactor();
      ConnectionLimits limits = ConnectionLimits.builder().maxConnections(1).build();
      ReactorMetrics.builder(reactor)
          .tags("service", "test")
          .limits("echo", limits)
          .latencyProbe(Duration.ofMillis(10))
          .build()
          .bindTo(registry);
      HttpServerMetrics http = HttpServerMetrics.create(registry, "service", "test");
      Router router =
          Router.builder()
              .get("/ok", (r, p) -> Deferred.succeed(HttpResponse.text(200, "ok")))
              .get("/never", (r, p) -> new Deferred<>()) // held until the connection closes
              .build();
      int[] ports =
          background.call(
              () ->
                  new int[] {
                    reactor
                        .listenTCP(
                            0,
                            "127.0.0.1",
                            HttpServer.create(
                                reactor, router, HttpOptions.builder().observer(http).build()))
                        .port(),
                    reactor
                        .listenTCP(0, "127.0.0.1", limits.wrap(Factory.of(() -> new Protocol() {})))
                        .port()
                  });
      String before = registry.scrape();
      assertThat(before).contains("torsion_http_server_active{service=\"test\"} 0");

      assertThat(request(ports[0], "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 200");
      assertThat(request(ports[0], "GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 404");
      assertThat(request(ports[0], "BREW /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 501");
      assertThat(request(ports[0], "NOT HTTP AT ALL\r\n\r\n")).startsWith("HTTP/1.1 400");
      try (Socket held = new Socket("127.0.0.1", ports[0])) {
        held.getOutputStream()
            .write("GET /never HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String during = "";
        for (int i = 0;
            i < 1000 && !during.contains("torsion_http_server_active{service=\"test\"} 1");
            i++) {
          background.call(() -> null); // a turn of the reactor: the request arrives
          during = registry.scrape();
        }
        assertThat(during).contains("torsion_http_server_active{service=\"test\"} 1");
      }
      // Two connections to a port that allows one: one refused.
      try (Socket first = new Socket("127.0.0.1", ports[1]);
          Socket second = new Socket("127.0.0.1", ports[1])) {
        assertThat(second.getInputStream().read()).isEqualTo(-1);
        assertThat(first.isConnected()).isTrue();
      }
      String after = "";
      for (int i = 0; i < 1000; i++) {
        after = registry.scrape();
        if (after.contains("torsion_http_server_active{service=\"test\"} 0")
            && after.contains("outcome=\"abandoned\"")
            && value(after, "torsion_reactor_loop_latency_seconds_count{service=\"test\"}") > 0) {
          break;
        }
        background.call(() -> null);
      }
      assertThat(
              value(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"GET\",outcome=\"completed\",service=\"test\",status=\"2xx\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"GET\",outcome=\"completed\",service=\"test\",status=\"4xx\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"OTHER\",outcome=\"completed\",service=\"test\",status=\"5xx\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"NONE\",outcome=\"completed\",service=\"test\",status=\"4xx\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  after,
                  "torsion_http_server_requests_seconds_count{method=\"GET\",outcome=\"abandoned\",service=\"test\",status=\"none\"}"))
          .isEqualTo(1);
      assertThat(after).contains("torsion_http_server_active{service=\"test\"} 0");
      assertThat(value(after, "torsion_connections_opened_total{service=\"test\"}"))
          .isGreaterThanOrEqualTo(7);
      assertThat(value(after, "torsion_connections_refused_total{port=\"echo\",service=\"test\"}"))
          .isEqualTo(1);
      assertThat(value(after, "torsion_bytes_read_bytes_total{service=\"test\"}"))
          .isGreaterThan(value(before, "torsion_bytes_read_bytes_total{service=\"test\"}"));
      assertThat(value(after, "torsion_bytes_written_bytes_total{service=\"test\"}")).isPositive();
      assertThat(value(after, "torsion_reactor_loop_latency_seconds_count{service=\"test\"}"))
          .isPositive();
      assertThat(after).contains("torsion_accept_errors_total{service=\"test\"} 0");
      assertThat(after).contains("torsion_workers_busy{service=\"test\"} 0");
    }
  }
}
