package io.torsion.protocols.http;

import io.torsion.ConnectionClosed;
import io.torsion.DelayedCall;
import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One HTTP/1.1 connection: parses requests, asks the handler, and writes the responses strictly
 * in request order, however the handler's Deferreds complete. Keeps the connection for the next
 * request unless the request (or a parse error, or HTTP/1.0 framing) says otherwise; pauses reading
 * while {@link HttpOptions#maxPipelined()} requests await their responses.
 *
 * <p>One timer guards the connection against slow and silent peers (slowloris): a request head
 * must arrive within the header timeout and a body at the minimum rate, or the request is answered
 * 408 and the connection closed; a connection idle between requests is closed after the idle
 * timeout.
 */
final class HttpConnection extends Protocol implements RequestParser.Listener {
  private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final HttpHandler handler;
  private final HttpOptions options;
  private final ReactorTime time;
  private DelayedCall guard;
  private RequestParser.Phase guarded;
  private long bodyBytesInWindow;
  private final RequestParser parser;
  private final ResponseEncoder encoder;
  private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
  private boolean closing;
  private boolean readingPaused;

  /** A request and, once known, its response. */
  private static final class Exchange {
    final HttpRequest request; // null for a request that could not be parsed
    final boolean keepAlive;
    Deferred<HttpResponse> pending;
    HttpResponse response;

    Exchange(HttpRequest request) {
      this.request = request;
      this.keepAlive = request != null && request.keepAlive();
    }
  }

  HttpConnection(ReactorTime time, HttpHandler handler, HttpOptions options) {
    this.time = time;
    this.handler = handler;
    this.options = options;
    this.parser = new RequestParser(options, this);
    this.encoder = new ResponseEncoder(options.serverHeader());
  }

  @Override
  public void connectionMade() {
    guard();
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (closing) {
      return; // after Connection: close or an error, nothing more is read
    }
    if (parser.phase() == RequestParser.Phase.BODY) {
      bodyBytesInWindow += data.remaining();
    }
    try {
      parser.feed(data);
    } catch (HttpError error) {
      reject(error);
      return;
    }
    guard();
  }

  private void reject(HttpError error) {
    LOG.log(Level.DEBUG, "{0}: rejected request: {1} {2}", transport().getPeer(), error.status(), error.getMessage());
    closing = true;
    stopGuard();
    Exchange rejected = new Exchange(null);
    rejected.response = HttpResponse.text(error.status(), error.getMessage() + "\n");
    exchanges.add(rejected);
    flush();
  }

  // ---------------------------------------------------------------- timeouts

  /** Arms the one timer for the parser's phase: idle, head or body; re-arms only on a change. */
  private void guard() {
    if (closing) {
      return;
    }
    RequestParser.Phase phase = parser.phase();
    if (phase == RequestParser.Phase.IDLE && !exchanges.isEmpty()) {
      stopGuard(); // the server owes responses: the peer is not idle, we are busy
      return;
    }
    if (phase == guarded && guard != null && guard.active()) {
      return;
    }
    stopGuard();
    guarded = phase;
    switch (phase) {
      case IDLE -> guard = time.callLater(options.idleTimeout(), () -> {
        LOG.log(Level.DEBUG, "{0}: idle for {1}; closing", transport().getPeer(), options.idleTimeout());
        closing = true;
        transport().loseConnection();
      });
      case HEAD -> guard = time.callLater(options.headerTimeout(), () -> reject(new HttpError(408,
          "request head not received within " + options.headerTimeout().toSeconds() + " s")));
      case BODY -> {
        if (options.minBodyRate() > 0) {
          bodyBytesInWindow = 0;
          guard = time.callLater(Duration.ofSeconds(HttpOptions.BODY_RATE_WINDOW_SECONDS), this::checkBodyRate);
        }
      }
    }
  }

  private void checkBodyRate() {
    long needed = (long) options.minBodyRate() * HttpOptions.BODY_RATE_WINDOW_SECONDS;
    if (parser.phase() == RequestParser.Phase.BODY && bodyBytesInWindow < needed) {
      reject(new HttpError(408, "request body arriving slower than " + options.minBodyRate() + " bytes/s"));
      return;
    }
    bodyBytesInWindow = 0;
    guarded = null;
    guard();
  }

  private void stopGuard() {
    if (guard != null && guard.active()) {
      guard.cancel();
    }
    guard = null;
    guarded = null;
  }

  @Override
  public void request(HttpRequest request) {
    if (closing) {
      return;
    }
    Exchange exchange = new Exchange(request);
    exchanges.add(exchange);
    if (!exchange.keepAlive) {
      closing = true;
    }
    Deferred<HttpResponse> answer;
    try {
      answer = handler.handle(request);
      if (answer == null) {
        answer = Deferred.fail(new NullPointerException("the handler returned no Deferred"));
      }
    } catch (RuntimeException e) {
      answer = Deferred.fail(e);
    }
    exchange.pending = answer;
    answer.addCallbacks(
        response -> {
          complete(exchange, response != null ? response : serverError(Failure.of(new NullPointerException("null response"))));
          return null;
        },
        failure -> {
          LOG.log(Level.WARNING, "handler failed on " + request + ": " + failure.message(), failure.value());
          complete(exchange, serverError(failure));
          return null;
        });
    if (!readingPaused && !closing && exchanges.size() >= options.maxPipelined()) {
      readingPaused = true;
      transport().pauseProducing();
    }
  }

  @Override
  public void expectContinue() {
    if (exchanges.isEmpty()) { // an interim response must not overtake earlier responses
      transport().write(CONTINUE.clone());
    }
  }

  private HttpResponse serverError(Failure failure) {
    return HttpResponse.text(500, options.exposeErrors() ? failure.message() + "\n" : "Internal Server Error\n");
  }

  private void complete(Exchange exchange, HttpResponse response) {
    if (exchange.response == null) {
      exchange.response = response;
      flush();
    }
  }

  /** Writes every response that is ready and next in line. */
  private void flush() {
    if (!connected()) {
      return;
    }
    while (!exchanges.isEmpty() && exchanges.peek().response != null) {
      Exchange next = exchanges.poll();
      boolean close = !next.keepAlive || ResponseEncoder.closesAfter(next.response, next.request);
      transport().write(encoder.encode(next.response, next.request, close));
      if (close) {
        closing = true;
        cancelPending();
        transport().loseConnection();
        return;
      }
    }
    if (readingPaused && exchanges.size() < options.maxPipelined()) {
      readingPaused = false;
      transport().resumeProducing();
    }
    guard();
  }

  private void cancelPending() {
    for (Exchange exchange : exchanges) {
      if (exchange.response == null && exchange.pending != null) {
        exchange.pending.cancel();
      }
    }
    exchanges.clear();
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    closing = true;
    stopGuard();
    cancelPending();
  }
}
