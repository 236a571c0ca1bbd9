package io.torsion.protocols.http;

import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.Protocol;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One HTTP/1.1 connection: parses requests, asks the handler, and writes the responses strictly
 * in request order, however the handler's Deferreds complete. Keeps the connection for the next
 * request unless the request (or a parse error, or HTTP/1.0 framing) says otherwise; pauses reading
 * while {@link HttpOptions#maxPipelined()} requests await their responses.
 */
final class HttpConnection extends Protocol implements RequestParser.Listener {
  private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final HttpHandler handler;
  private final HttpOptions options;
  private final RequestParser parser;
  private final ResponseEncoder encoder;
  private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
  private boolean closing;
  private boolean readingPaused;

  /** A request and, once known, its response. */
  private static final class Exchange {
    final HttpRequest request; // null for a request that could not be parsed
    Deferred<HttpResponse> pending;
    HttpResponse response;

    Exchange(HttpRequest request) {
      this.request = request;
    }
  }

  HttpConnection(HttpHandler handler, HttpOptions options) {
    this.handler = handler;
    this.options = options;
    this.parser = new RequestParser(options, this);
    this.encoder = new ResponseEncoder(options.serverHeader());
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (closing) {
      return; // after Connection: close or an error, nothing more is read
    }
    try {
      parser.feed(data);
    } catch (HttpError error) {
      LOG.log(Level.DEBUG, "{0}: rejected request: {1} {2}", transport().getPeer(), error.status(), error.getMessage());
      closing = true;
      Exchange rejected = new Exchange(null);
      rejected.response = HttpResponse.text(error.status(), error.getMessage() + "\n");
      exchanges.add(rejected);
      flush();
    }
  }

  @Override
  public void request(HttpRequest request) {
    if (closing) {
      return;
    }
    Exchange exchange = new Exchange(request);
    exchanges.add(exchange);
    if (!request.keepAlive()) {
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
      boolean close = next.request == null || !next.request.keepAlive()
          || ResponseEncoder.closesAfter(next.response, next.request);
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
    cancelPending();
  }
}
