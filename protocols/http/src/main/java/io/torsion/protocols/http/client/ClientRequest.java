package io.torsion.protocols.http.client;

import io.torsion.protocols.http.BodyWriter;
import io.torsion.protocols.http.HttpHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A request for an {@link HttpClient}: method, {@code http} or {@code https} URI, header fields and
 * a body, fixed ({@code byte[]}) or streamed (a {@link BodyWriter}, with its length or chunked),
 * and how to take the response: aggregated (the default) or streamed, with redirects followed or
 * not. Immutable; build with {@link #builder}.
 *
 * <pre>{@code
 * ClientRequest upload = ClientRequest.builder("PUT", "https://example.org/files/a")
 *     .header("Content-Type", "application/octet-stream")
 *     .body(-1, body -> { body.write(first); body.registerProducer(rest); })   // chunked
 *     .build();
 * }</pre>
 */
public final class ClientRequest {
  private final String method;
  private final URI uri;
  private final HttpHeaders headers;
  private final byte[] body;
  private final BodyWriter writer;
  private final long length;
  private final int maxRedirects;
  private final boolean streamResponse;
  private final Duration timeout;
  private EncodedHead head; // encoded once, without Expect

  /** A head encoded for an origin and User-Agent; final fields, so safe to share across threads. */
  private record EncodedHead(Origin origin, String userAgent, byte[] bytes) {}

  private ClientRequest(Builder builder) {
    this.method = builder.method;
    this.uri = builder.uri;
    this.headers = builder.headers;
    this.body = builder.body;
    this.writer = builder.writer;
    this.length = builder.writer != null ? builder.length : builder.body.length;
    this.maxRedirects = builder.maxRedirects;
    this.streamResponse = builder.streamResponse;
    this.timeout = builder.timeout;
  }

  /**
   * Returns a builder of a request with {@code method} (a token, e.g. {@code GET}) to {@code uri}.
   */
  public static Builder builder(String method, String uri) {
    return new Builder(method, URI.create(Objects.requireNonNull(uri, "uri")));
  }

  /** Returns a builder of a request with {@code method} to {@code uri}. */
  public static Builder builder(String method, URI uri) {
    return new Builder(method, uri);
  }

  /** Returns the method. */
  public String method() {
    return method;
  }

  /** Returns the URI. */
  public URI uri() {
    return uri;
  }

  /** Returns the header fields (a copy). */
  public HttpHeaders headers() {
    return copy(headers);
  }

  HttpHeaders rawHeaders() {
    return headers;
  }

  /** Returns the fixed body, or null if it is streamed by a writer. */
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  byte[] rawBody() {
    return body;
  }

  /** Returns the body's writer, or null for a fixed body. */
  public BodyWriter writer() {
    return writer;
  }

  /** Returns the body's length, or -1 for a chunked one. */
  public long length() {
    return length;
  }

  /** Returns how many redirects are followed (0: none, the 3xx is the response). */
  public int maxRedirects() {
    return maxRedirects;
  }

  /** Returns true if the response body is streamed rather than aggregated. */
  public boolean streamsResponse() {
    return streamResponse;
  }

  /** Returns the time the whole exchange (redirects included) may take, or null for no limit. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns the encoded head for {@code origin} and {@code userAgent}, encoded once and kept: a
   * request sent again and again (a poll, a benchmark) is not encoded again.
   */
  byte[] head(Origin origin, String userAgent, boolean expectContinue) {
    if (expectContinue) {
      return RequestEncoder.head(this, origin, userAgent, true);
    }
    EncodedHead encoded = head;
    if (encoded == null
        || !origin.equals(encoded.origin())
        || !Objects.equals(userAgent, encoded.userAgent())) {
      encoded =
          new EncodedHead(origin, userAgent, RequestEncoder.head(this, origin, userAgent, false));
      head = encoded; // a race between threads at worst encodes it twice
    }
    return encoded.bytes();
  }

  /**
   * Returns true if the request may be sent again without changing its meaning (RFC 9110 9.2.2).
   */
  boolean idempotent() {
    return switch (method) {
      case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
      default -> false;
    };
  }

  /** Returns this request with another method and URI, for a redirect; {@code keepBody} or none. */
  ClientRequest redirected(String newMethod, URI target, boolean keepBody, boolean sameOrigin) {
    Builder next = new Builder(newMethod, target);
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      boolean bodyField =
          name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Encoding");
      boolean credential =
          name.equalsIgnoreCase("Authorization")
              || name.equalsIgnoreCase("Cookie")
              || name.equalsIgnoreCase("Proxy-Authorization");
      if ((keepBody || !bodyField) && (sameOrigin || !credential)) {
        next.headers.add(name, headers.value(i));
      }
    }
    if (keepBody) {
      next.body = body;
      next.writer = writer;
      next.length = length;
    }
    next.maxRedirects = maxRedirects;
    next.streamResponse = streamResponse;
    next.timeout = timeout;
    return new ClientRequest(next);
  }

  private static HttpHeaders copy(HttpHeaders from) {
    HttpHeaders to = new HttpHeaders();
    for (int i = 0; i < from.size(); i++) {
      to.add(from.name(i), from.value(i));
    }
    return to;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }

  /** Builds a {@link ClientRequest}. */
  public static final class Builder {
    private final String method;
    private final URI uri;
    private final HttpHeaders headers = new HttpHeaders();
    private byte[] body = new byte[0];
    private BodyWriter writer;
    private long length;
    private int maxRedirects;
    private boolean streamResponse;
    private Duration timeout;

    private Builder(String method, URI uri) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      if (method.isEmpty() || !method.chars().allMatch(Builder::tchar)) {
        throw new IllegalArgumentException("not a method token: " + method);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("not an http or https URI: " + uri);
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException("a URI without a host: " + uri);
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException("a URI with user information: " + uri);
      }
      this.method = method;
      this.uri = uri;
    }

    /**
     * Adds a header field; {@code Host}, {@code Content-Length}, {@code Transfer-Encoding} and
     * {@code Connection} are the client's and refused here.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(Builder::tchar)) {
        throw new IllegalArgumentException("not a field name: " + name);
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
          throw new IllegalArgumentException("a control character in the value of " + name);
        }
      }
      for (String own :
          new String[] {"Host", "Content-Length", "Transfer-Encoding", "Connection"}) {
        if (own.equalsIgnoreCase(name)) {
          throw new IllegalArgumentException(name + " is set by the client");
        }
      }
      headers.add(name, value.strip());
      return this;
    }

    /** Adds every field of {@code fields} (see {@link #header}). */
    public Builder headers(HttpHeaders fields) {
      for (int i = 0; i < fields.size(); i++) {
        header(fields.name(i), fields.value(i));
      }
      return this;
    }

    /** Sets a fixed body, sent with {@code Content-Length}. */
    public Builder body(byte[] content) {
      this.body = Objects.requireNonNull(content, "content").clone();
      this.writer = null;
      return this;
    }

    /**
     * Sets a streamed body: {@code writer} is called once the request head is sent (after {@code
     * 100 Continue} when that is awaited) and writes {@code length} bytes, or any number chunked if
     * {@code length} is -1, then finishes. Such a request is not retried, and redirects keep it
     * only if the writer can be called again.
     */
    public Builder body(long contentLength, BodyWriter bodyWriter) {
      if (contentLength < -1) {
        throw new IllegalArgumentException("length must be -1 (chunked) or more: " + contentLength);
      }
      this.writer = Objects.requireNonNull(bodyWriter, "bodyWriter");
      this.length = contentLength;
      this.body = null;
      return this;
    }

    /**
     * Follows up to {@code max} redirects (301, 302, 303, 307, 308); 0, the default, follows none.
     */
    public Builder followRedirects(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("max must be at least 0: " + max);
      }
      this.maxRedirects = max;
      return this;
    }

    /**
     * Has the response's Deferred fire at its head, the body streaming through {@link
     * ClientResponse#bodyStream()} with backpressure and no size limit.
     */
    public Builder streamResponse() {
      this.streamResponse = true;
      return this;
    }

    /** Bounds the whole exchange, redirects included; when it runs out the request is cancelled. */
    public Builder timeout(Duration total) {
      Objects.requireNonNull(total, "total");
      if (total.isNegative() || total.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + total);
      }
      this.timeout = total;
      return this;
    }

    /** Returns the request. */
    public ClientRequest build() {
      return new ClientRequest(this);
    }

    private static boolean tchar(int c) {
      return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
  }
}
