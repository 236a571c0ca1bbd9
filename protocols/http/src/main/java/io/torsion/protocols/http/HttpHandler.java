package io.torsion.protocols.http;

import io.torsion.Deferred;
import java.util.Objects;
import java.util.function.Function;

/**
 * Answers requests: synchronously with {@link #of}, or later through the returned {@link Deferred}
 * (a database call, {@code callLater}, {@code deferToThread}). Called on the reactor thread; what
 * it throws or fails with becomes a 500.
 *
 * <pre>{@code
 * HttpHandler hello = HttpHandler.of(request -> HttpResponse.text(200, "Hello, World!"));
 * HttpHandler slow = request -> {
 *     Deferred<HttpResponse> later = new Deferred<>();
 *     reactor.callLater(Duration.ofMillis(100), () -> later.callback(HttpResponse.text(200, "late")));
 *     return later;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface HttpHandler {
  /** Returns the response to {@code request}, now or later. */
  Deferred<HttpResponse> handle(HttpRequest request);

  /**
   * Returns true to receive {@code head} as soon as its head has arrived, its body streaming in
   * through {@link HttpRequest#bodyStream()} with backpressure and no {@link
   * HttpOptions#maxBodySize()} (memory stays flat however large it is). By default false: the
   * request comes whole, its body aggregated up to that limit.
   */
  default boolean streamsBody(HttpRequest head) {
    return false;
  }

  /** Returns a handler that answers at once with what {@code respond} returns. */
  static HttpHandler of(Function<? super HttpRequest, HttpResponse> respond) {
    Objects.requireNonNull(respond, "respond");
    return request -> Deferred.succeed(respond.apply(request));
  }
}
