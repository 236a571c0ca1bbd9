package io.torsion.examples;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.micrometer.HttpServerMetrics;
import io.torsion.micrometer.ReactorMetrics;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.HttpServerObserver;
import io.torsion.protocols.http.Router;
import io.torsion.protocols.policies.ConnectionLimits;
import io.torsion.protocols.policies.IdleTimeout;

/**
 * The demo's {@code --metrics}: the reactor's counters (with the echo and line ports' refusals and
 * idle timeouts) and the HTTP server's requests through Micrometer, rendered at {@code /metrics} in
 * Prometheus's text format. Its signatures hold Torsion's types only, so that the demo runs without
 * Micrometer's jars when {@code --metrics} is not given.
 */
final class DemoMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReactorMetrics.Builder reactor;
  private final HttpServerMetrics http;

  DemoMetrics(Reactor reactor) {
    this.reactor = ReactorMetrics.builder(reactor).tags("service", "torsion-demo");
    this.http = HttpServerMetrics.create(registry, "service", "torsion-demo");
  }

  /** Counts the refusals of a port's limits and the closes of its idle timeout (may be null). */
  void port(String name, ConnectionLimits limits, IdleTimeout idle) {
    reactor.limits(name, limits);
    if (idle != null) {
      reactor.idleTimeout(name, idle);
    }
  }

  /** Publishes the reactor's meters; call once every port is known. */
  void start() {
    reactor.build().bindTo(registry);
  }

  HttpServerObserver observer() {
    return http;
  }

  /** {@code GET /metrics}: every meter, in Prometheus's text format. */
  Router.RouteHandler route() {
    return (request, params) ->
        Deferred.succeed(
            HttpResponse.bytes(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-cache"));
  }
}
