package io.torsion.protocols.http;

import io.torsion.Deferred;
import java.util.Objects;
import java.util.function.Function;

/**
 * Answers requests: synchronously with {@link #of}, or later through the returned {@link
 * Deferred} (a database call, {@code callLater}, {@code deferToThread}). Called on the reactor
 * thread; what it throws or fails with becomes a 500.
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

  /** Returns a handler that answers at once with what {@code respond} returns. */
  static HttpHandler of(Function<? super HttpRequest, HttpResponse> respond) {
    Objects.requireNonNull(respond, "respond");
    return request -> Deferred.succeed(respond.apply(request));
  }
}
