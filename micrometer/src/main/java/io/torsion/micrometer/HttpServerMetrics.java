package io.torsion.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.torsion.protocols.http.HttpRequest;
import io.torsion.protocols.http.HttpServerObserver;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server's requests through Micrometer: give it to {@code
 * HttpOptions.builder().observer(...)}. The timer {@code torsion.http.server.requests} is tagged
 * with the method (the standard ones, {@code OTHER} for the rest, so that clients cannot grow the
 * tag's values), the status class ({@code 2xx}, ..., {@code none} for a request that ended without
 * a response) and the outcome ({@code completed}, or {@code abandoned} when the connection closed
 * first); the gauge {@code torsion.http.server.active} counts requests in flight.
 *
 * <pre>{@code
 * HttpServerMetrics metrics = HttpServerMetrics.create(registry);
 * HttpServer.create(reactor, router, HttpOptions.builder().observer(metrics).build());
 * }</pre>
 */
public final class HttpServerMetrics implements HttpServerObserver {
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicLong active = new AtomicLong();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private HttpServerMetrics(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    Gauge.builder("torsion.http.server.active", active, AtomicLong::get)
        .description("HTTP requests in flight")
        .tags(tags)
        .register(registry);
  }

  /** Returns metrics registered in {@code registry}, every meter tagged with {@code tags}. */
  public static HttpServerMetrics create(MeterRegistry registry, String... tags) {
    return new HttpServerMetrics(Objects.requireNonNull(registry, "registry"), Tags.of(tags));
  }

  @Override
  public void requestStarted(HttpRequest request) {
    active.incrementAndGet();
  }

  @Override
  public void requestEnded(HttpRequest request, int status, long nanos, boolean completed) {
    active.decrementAndGet();
    String method = request == null ? "NONE" : request.method().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method) && !method.equals("NONE")) {
      method = "OTHER";
    }
    String statusClass = status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
    String outcome = completed ? "completed" : "abandoned";
    String key = method + ' ' + statusClass + ' ' + outcome;
    Timer timer = timers.get(key);
    if (timer == null) {
      String m = method;
      timer =
          timers.computeIfAbsent(
              key,
              k ->
                  Timer.builder("torsion.http.server.requests")
                      .description("HTTP requests, from the head read to the response's last byte")
                      .tags(tags.and("method", m, "status", statusClass, "outcome", outcome))
                      .register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
