package io.torsion.protocols.http;

import io.torsion.Deferred;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes requests by method and path pattern; {@code {name}} in a pattern matches one path segment
 * and hands it to the route as a parameter, percent-decoded as UTF-8 (as {@link
 * HttpRequest#queryParameter} decodes the query; literal segments match the decoded path too). An
 * unknown path answers 404; a known path with another method answers 405 with {@code Allow}; a
 * method that is neither one of RFC 9110's nor any route's answers 501 (methods are case-sensitive:
 * {@code get} is not {@code GET}). {@code HEAD} is served by the {@code GET} route; {@code OPTIONS}
 * on a known path (with no route of its own) and {@code OPTIONS *} answer 200 with {@code Allow}.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .get("/plaintext", (request, params) -> Deferred.succeed(HttpResponse.text(200, "Hello, World!")))
 *     .post("/users/{id}/notes", (request, params) -> notes.add(params.get("id"), request.bodyText()))
 *     .streaming("PUT", "/files/{name}", (request, params) -> uploads.store(params.get("name"), request.bodyStream()))
 *     .build();
 * }</pre>
 */
public final class Router implements HttpHandler {
  /** Answers the requests of one route. */
  @FunctionalInterface
  public interface RouteHandler {
    /**
     * Returns the response to {@code request}; {@code parameters} holds the pattern's {@code
     * {names}}.
     */
    Deferred<HttpResponse> handle(HttpRequest request, Map<String, String> parameters);
  }

  /**
   * A route; {@code literal} is its pattern when it has no parameter, so that a path without
   * percent-encoding matches it by one comparison, unsplit.
   */
  private record Route(
      String method, String[] segments, String literal, RouteHandler handler, boolean streaming) {
    /** Returns the parameters if {@code raw} (split into {@code path} on demand) matches. */
    Map<String, String> match(String raw, boolean plain, PathSegments path) {
      if (literal != null && plain) {
        return literal.equals(raw) ? Collections.emptyMap() : null;
      }
      return Router.match(segments, path.get());
    }
  }

  /** A path split into decoded segments the first time a route needs them. */
  private static final class PathSegments {
    private final String raw;
    private String[] segments;

    PathSegments(String raw) {
      this.raw = raw;
    }

    String[] get() {
      if (segments == null) {
        segments = split(raw);
      }
      return segments;
    }
  }

  /** The methods of RFC 9110 and RFC 5789: known to every router, so answered 405, not 501. */
  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private final List<Route> routes;
  private final Set<String> methods; // every route's, with HEAD for GET, and OPTIONS
  private final String allowedByServer;
  private final boolean
      anyStreaming; // most routers have no streaming route: then no match is needed to say so

  private Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
    this.anyStreaming = routes.stream().anyMatch(Route::streaming);
    TreeSet<String> all = new TreeSet<>();
    for (Route route : routes) {
      all.add(route.method);
      if (route.method.equals("GET")) {
        all.add("HEAD");
      }
    }
    all.add("OPTIONS");
    this.methods = Collections.unmodifiableSet(all);
    this.allowedByServer = String.join(", ", all);
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean streamsBody(HttpRequest head) {
    if (!anyStreaming) {
      return false;
    }
    String raw = head.path();
    boolean plain = raw.indexOf('%') < 0;
    PathSegments path = new PathSegments(raw);
    for (Route route : routes) {
      if (route.method.equals(head.method()) && route.match(raw, plain, path) != null) {
        return route.streaming;
      }
    }
    return false;
  }

  @Override
  public Deferred<HttpResponse> handle(HttpRequest request) {
    String method = request.method();
    if (request.target().equals("*")) {
      return Deferred.succeed(
          method.equals("OPTIONS")
              ? HttpResponse.of(200).header("Allow", allowedByServer)
              : HttpResponse.text(400, "the target * is for OPTIONS only\n"));
    }
    String raw = request.path();
    boolean plain = raw.indexOf('%') < 0;
    PathSegments path = new PathSegments(raw);
    TreeSet<String> allowed = null; // made only for a 405 or OPTIONS
    // the common case first: a route matches; what does not is sorted out after
    for (Route route : routes) {
      Map<String, String> parameters = route.match(raw, plain, path);
      if (parameters == null) {
        continue;
      }
      if (route.method.equals(request.method())
          || (request.method().equals("HEAD") && route.method.equals("GET"))) {
        return route.handler.handle(request, parameters);
      }
      if (allowed == null) {
        allowed = new TreeSet<>();
      }
      allowed.add(route.method);
      if (route.method.equals("GET")) {
        allowed.add("HEAD");
      }
    }
    if (!methods.contains(method) && !STANDARD_METHODS.contains(method)) {
      return Deferred.succeed(HttpResponse.text(501, "Not Implemented\n"));
    }
    if (allowed == null) {
      return Deferred.succeed(HttpResponse.text(404, "Not Found\n"));
    }
    allowed.add("OPTIONS");
    if (method.equals("OPTIONS")) {
      return Deferred.succeed(HttpResponse.of(200).header("Allow", String.join(", ", allowed)));
    }
    return Deferred.succeed(
        HttpResponse.text(405, "Method Not Allowed\n").header("Allow", String.join(", ", allowed)));
  }

  /**
   * Returns the methods this router implements: those of its routes, {@code HEAD} where there is
   * {@code GET}, and {@code OPTIONS}.
   */
  public Set<String> methods() {
    return methods;
  }

  private static Map<String, String> match(String[] pattern, String[] path) {
    if (pattern.length != path.length) {
      return null;
    }
    Map<String, String> parameters = null;
    for (int i = 0; i < pattern.length; i++) {
      String segment = pattern[i];
      if (segment.length() > 2
          && segment.charAt(0) == '{'
          && segment.charAt(segment.length() - 1) == '}') {
        if (path[i].isEmpty()) {
          return null;
        }
        if (parameters == null) {
          parameters = new HashMap<>();
        }
        parameters.put(segment.substring(1, segment.length() - 1), path[i]);
      } else if (!segment.equals(path[i])) {
        return null;
      }
    }
    return parameters == null ? Collections.emptyMap() : parameters;
  }

  /**
   * Splits a path into its segments (empty ones kept), without the regex machinery of {@code
   * String.split}.
   */
  private static String[] split(String path) {
    int from = path.startsWith("/") ? 1 : 0;
    int count = 1;
    for (int i = from; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        count++;
      }
    }
    String[] segments = new String[count];
    for (int n = 0; n < count; n++) {
      int slash = path.indexOf('/', from);
      int end = slash < 0 ? path.length() : slash;
      segments[n] = PercentDecoding.decode(path, from, end);
      from = end + 1;
    }
    return segments;
  }

  /** Builds a {@link Router}. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    /** Adds a route for {@code method} and {@code pattern}, e.g. {@code "/users/{id}"}. */
    public Builder route(String method, String pattern, RouteHandler handler) {
      return add(method, pattern, handler, false);
    }

    /**
     * Adds a route whose requests arrive as soon as their head has, the body streaming in through
     * {@link HttpRequest#bodyStream()} (see {@link HttpHandler#streamsBody}).
     */
    public Builder streaming(String method, String pattern, RouteHandler handler) {
      return add(method, pattern, handler, true);
    }

    private Builder add(String method, String pattern, RouteHandler handler, boolean streaming) {
      Objects.requireNonNull(method, "method");
      if (!Objects.requireNonNull(pattern, "pattern").startsWith("/")) {
        throw new IllegalArgumentException("a pattern starts with '/': " + pattern);
      }
      routes.add(
          new Route(
              method,
              split(pattern),
              pattern.contains("{") ? null : pattern,
              Objects.requireNonNull(handler, "handler"),
              streaming));
      return this;
    }

    /** Adds a GET route (which also serves HEAD). */
    public Builder get(String pattern, RouteHandler handler) {
      return route("GET", pattern, handler);
    }

    /** Adds a POST route. */
    public Builder post(String pattern, RouteHandler handler) {
      return route("POST", pattern, handler);
    }

    /** Adds a PUT route. */
    public Builder put(String pattern, RouteHandler handler) {
      return route("PUT", pattern, handler);
    }

    /** Adds a DELETE route. */
    public Builder delete(String pattern, RouteHandler handler) {
      return route("DELETE", pattern, handler);
    }

    /** Returns the router. */
    public Router build() {
      return new Router(routes);
    }
  }
}
