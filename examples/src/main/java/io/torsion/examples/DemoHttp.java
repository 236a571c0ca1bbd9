package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.ReactorTime;
import io.torsion.protocols.http.HttpResponse;
import io.torsion.protocols.http.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's HTTP endpoints: {@code GET /plaintext} (TechEmpower's plaintext test), {@code POST
 * /echo} (the body back), {@code GET /delay?ms=N} (answered after N ms through {@code callLater}
 * and a Deferred, never holding the reactor), {@code GET /stream?chunks=N} (N chunks, chunked).
 */
final class DemoHttp {
  static final int MAX_DELAY_MS = 60_000;
  static final int MAX_CHUNKS = 10_000;

  private DemoHttp() {}

  static Router router(ReactorTime time) {
    return Router.builder()
        .get("/plaintext", (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
        .post("/echo", (request, params) -> Deferred.succeed(
            HttpResponse.bytes(200, contentType(request.headers().get("Content-Type")), request.body())))
        .get("/delay", (request, params) -> {
          Integer ms = bounded(request.queryParameter("ms"), MAX_DELAY_MS);
          if (ms == null) {
            return Deferred.succeed(HttpResponse.text(400, "ms must be a number from 0 to " + MAX_DELAY_MS + "\n"));
          }
          Deferred<HttpResponse> later = new Deferred<>();
          time.callLater(Duration.ofMillis(ms), () -> later.callback(HttpResponse.text(200, "waited " + ms + " ms\n")));
          return later;
        })
        .get("/stream", (request, params) -> {
          Integer chunks = bounded(request.queryParameter("chunks"), MAX_CHUNKS);
          if (chunks == null) {
            return Deferred.succeed(HttpResponse.text(400, "chunks must be a number from 0 to " + MAX_CHUNKS + "\n"));
          }
          List<byte[]> parts = new ArrayList<>(chunks);
          for (int i = 0; i < chunks; i++) {
            parts.add(("chunk " + i + "\n").getBytes(StandardCharsets.US_ASCII));
          }
          return Deferred.succeed(HttpResponse.chunked(200, "text/plain; charset=utf-8", parts));
        })
        .build();
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
