package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.PullProducer;
import io.torsion.ReactorTime;
import io.torsion.protocols.http.BodyReceiver;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The demo's HTTP endpoints: the shared {@link Board} ({@code GET /kv}, {@code GET /kv/KEY}, {@code
 * PUT /kv/KEY} with the value as the body), {@code GET /plaintext} (TechEmpower's plaintext test),
 * {@code POST /echo} (the body back, streamed with backpressure, so any size works), {@code GET
 * /delay?ms=N} (answered after N ms through {@code callLater} and a Deferred, never holding the
 * reactor), {@code GET /stream?chunks=N} (N chunks, chunked, one each time the socket has room),
 * the WebSocket endpoints of {@link DemoWebSockets} ({@code /ws/echo}, {@code /ws}), and at {@code
 * /} a page that shows the board live over {@code /ws} (one static file, {@code board.html}, with a
 * little plain JavaScript); for a load balancer, {@code /healthz} (200 while the process serves)
 * and {@code /readyz} (200, or 503 once a drain has begun or while the board's Redis is down).
 */
final class DemoHttp {
  static final int MAX_DELAY_MS = 60_000;
  static final int MAX_CHUNKS = 10_000;

  /** The board's page, read once from the classpath. */
  private static final byte[] PAGE = page();

  private DemoHttp() {}

  /** The board could not answer (Redis is down or slow): 503, and the client may try again. */
  private static HttpResponse unavailable(Failure failure) {
    return HttpResponse.text(503, Board.why(failure.value()) + "\n").header("Retry-After", "1");
  }

  static Router router(ReactorTime time, Board board) {
    return router(time, board, new Readiness(), null);
  }

  /** The routes; {@code metrics}, when not null, answers {@code GET /metrics}. */
  static Router router(
      ReactorTime time, Board board, Readiness readiness, Router.RouteHandler metrics) {
    Router.Builder routes = Router.builder();
    if (metrics != null) {
      routes.get("/metrics", metrics);
    }
    return routes
        .get("/healthz", (request, params) -> Deferred.succeed(HttpResponse.text(200, "alive\n")))
        .get(
            "/readyz",
            (request, params) -> {
              String notReady = readiness.whyNot();
              return Deferred.succeed(
                  notReady == null
                      ? HttpResponse.text(200, "ready\n")
                      : HttpResponse.text(503, notReady + "\n"));
            })
        .get(
            "/",
            (request, params) ->
                Deferred.succeed(
                    HttpResponse.bytes(200, "text/html; charset=utf-8", PAGE)
                        .header("Cache-Control", "no-cache")))
        .get("/ws/echo", DemoWebSockets.echo(time))
        .get("/ws", DemoWebSockets.board(time, board))
        .get(
            "/kv",
            (request, params) ->
                board
                    .entries()
                    .addCallbacks(
                        entries -> {
                          StringBuilder all = new StringBuilder();
                          entries.forEach(
                              (key, value) ->
                                  all.append(key).append('=').append(value).append('\n'));
                          return HttpResponse.text(200, all.toString());
                        },
                        DemoHttp::unavailable))
        .get(
            "/kv/{key}",
            (request, params) ->
                board
                    .get(params.get("key"))
                    .addCallbacks(
                        value ->
                            value == null
                                ? HttpResponse.text(404, "no such key\n")
                                : HttpResponse.text(200, value + "\n"),
                        DemoHttp::unavailable))
        .put(
            "/kv/{key}",
            (request, params) ->
                board
                    .set(params.get("key"), request.bodyText().strip()) // WATCHers hear of it
                    .addCallbacks(
                        done -> HttpResponse.of(204),
                        failure ->
                            failure.value() instanceof IllegalArgumentException bad
                                ? HttpResponse.text(400, bad.getMessage() + "\n")
                                : unavailable(failure)))
        .get(
            "/plaintext",
            (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
        .streaming(
            "POST",
            "/echo",
            (request, params) ->
                Deferred.succeed(
                    HttpResponse.streamed(
                        200,
                        contentType(request.headers().get("Content-Type")),
                        request.bodyStream().length(),
                        body -> {
                          // Each piece goes back as it arrives; while the client does not read, the
                          // upload pauses.
                          request.bodyStream().deliverTo(BodyReceiver.into(body));
                          body.registerProducer(request.bodyStream());
                        })))
        .get(
            "/delay",
            (request, params) -> {
              Integer ms = bounded(request.queryParameter("ms"), MAX_DELAY_MS);
              if (ms == null) {
                return Deferred.succeed(
                    HttpResponse.text(400, "ms must be a number from 0 to " + MAX_DELAY_MS + "\n"));
              }
              Deferred<HttpResponse> later = new Deferred<>();
              time.callLater(
                  Duration.ofMillis(ms),
                  () -> later.callback(HttpResponse.text(200, "waited " + ms + " ms\n")));
              return later;
            })
        .get(
            "/stream",
            (request, params) -> {
              Integer chunks = bounded(request.queryParameter("chunks"), MAX_CHUNKS);
              if (chunks == null) {
                return Deferred.succeed(
                    HttpResponse.text(
                        400, "chunks must be a number from 0 to " + MAX_CHUNKS + "\n"));
              }
              // One chunk each time the socket has room: a slow reader slows the writer down.
              return Deferred.succeed(
                  HttpResponse.streamed(
                      200,
                      "text/plain; charset=utf-8",
                      body ->
                          body.registerProducer(
                              new PullProducer() {
                                private int next;

                                @Override
                                public void resumeProducing() {
                                  if (next < chunks) {
                                    body.write(
                                        ("chunk " + next++ + "\n")
                                            .getBytes(StandardCharsets.US_ASCII));
                                  } else {
                                    body.finish();
                                  }
                                }

                                @Override
                                public void stopProducing() {}
                              })));
            })
        .build();
  }

  private static byte[] page() {
    try (InputStream in = DemoHttp.class.getResourceAsStream("board.html")) {
      if (in == null) {
        throw new IllegalStateException("board.html is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentType(String requested) {
    return requested == null ? "application/octet-stream" : requested;
  }

  private static Integer bounded(String text, int max) {
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text);
      return value < 0 || value > max ? null : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
