package io.torsion.protocols.http;

import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.DrainableProtocol;
import io.torsion.Failure;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import io.torsion.protocols.http.ResponseEncoder.Framing;
import io.torsion.protocols.http.internal.IncomingBody;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * One HTTP/1.1 connection: parses requests, asks the handler, and writes the responses strictly in
 * request order, however the handler's Deferreds complete; a streamed response holds back the ones
 * after it until it finishes. Keeps the connection for the next request unless the request (or a
 * parse error, or HTTP/1.0 framing) says otherwise.
 *
 * <p>Reading from the socket pauses while {@link HttpOptions#maxPipelined()} requests await their
 * responses, and while a streamed request body has no receiver or its receiver is paused: that is
 * the backpressure that keeps memory flat for a large upload.
 *
 * <p>One timer guards the connection against slow and silent peers (slowloris): a request head must
 * arrive within the header timeout and a body at the minimum rate (while the server wants it), or
 * the request is answered 408 and the connection closed; a connection idle between requests is
 * closed after the idle timeout.
 */
final class HttpConnection extends Protocol
    implements RequestParser.Listener, ResponseStream.Owner, DrainableProtocol {
  private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
  private static final System.Logger ACCESS = System.getLogger(HttpOptions.ACCESS_LOGGER);
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final HttpHandler handler;
  private final HttpOptions options;
  private final ReactorTime time;
  private final RequestParser parser;
  private final ResponseEncoder encoder;
  private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
  private DelayedCall guard;
  private RequestParser.Phase guarded;
  private long bodyBytesInWindow;

  /** The exchange whose request body is streaming in, if any. */
  private Exchange incoming;

  /** The exchange whose streamed response is being written, if any. */
  private Exchange outgoing;

  /** No request after the current one: Connection: close, HTTP/1.0, or an error. */
  private boolean lastRequest;

  /** The connection is closing: nothing more is read or written. */
  private boolean closing;

  private boolean parsing;
  private boolean flushing;
  private boolean readingPaused;
  private boolean draining; // the reactor is stopping: answer what is here, then close

  /** A request and, once known, its response. */
  private final class Exchange implements Function<Object, Void> {
    final HttpRequest request; // null for a request that could not be parsed
    final boolean keepAlive;
    IncomingBody body; // the streamed body, if any
    Deferred<HttpResponse> pending;
    HttpResponse response;
    ResponseStream stream;
    boolean closeAfter;
    long headMark = -1; // where a streamed response's head went into the encoder, to take it back
    long startNanos; // for the access log and the observer
    boolean ended; // the access log and the observer have heard of its end

    Exchange(HttpRequest request) {
      this.request = request;
      this.keepAlive = request != null && request.keepAlive();
      if (options.accessLog() || options.observer() != null) {
        startNanos = time.nanoTime();
      }
      HttpServerObserver observer = options.observer();
      if (observer != null) {
        try {
          observer.requestStarted(request);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "the HTTP observer threw; ignored", e);
        }
      }
    }

    /**
     * Returns true if part of the request body is still unread (so the connection cannot go on).
     */
    boolean bodyUnread() {
      return body != null && !body.ended();
    }

    /**
     * The handler's answer, a response or a {@link Failure}: the exchange is its own callback and
     * errback (no lambdas made per request).
     */
    @Override
    public Void apply(Object outcome) {
      if (!(outcome instanceof Failure failure)) {
        complete(
            this,
            outcome != null
                ? (HttpResponse) outcome
                : serverError(Failure.of(new NullPointerException("null response"))));
      } else if (response == null) { // else cancelled: answered otherwise
        LOG.log(
            Level.WARNING,
            "handler failed on " + request + ": " + failure.message(),
            failure.value());
        complete(this, serverError(failure));
      }
      return null;
    }
  }

  HttpConnection(
      ReactorTime time, HttpHandler handler, HttpOptions options, ResponseEncoder encoder) {
    this.time = time;
    this.handler = handler;
    this.options = options;
    this.parser = new RequestParser(options, this);
    this.encoder = encoder;
  }

  @Override
  public void connectionMade() {
    guard();
  }

  /**
   * Drains for shutdown: an idle connection closes now; one with requests in flight answers them,
   * the last with {@code Connection: close}, and reads no further request.
   */
  @Override
  public boolean drainConnection() {
    if (closing) {
      return true;
    }
    draining = true;
    lastRequest = true;
    if (exchanges.isEmpty() && outgoing == null && incoming == null) {
      closeAfterResponse();
    } else if (incoming == null) {
      parser.stop();
    }
    return true;
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (closing) {
      return; // after an error or the last response, nothing more is read
    }
    if (parser.phase() == RequestParser.Phase.BODY) {
      bodyBytesInWindow += data.remaining();
    }
    parse(data);
  }

  private void parse(ByteBuffer data) {
    parsing = true;
    encoder.hold(transport()); // the responses to one read go out in one write
    try {
      parser.feed(data);
    } catch (HttpError error) {
      reject(error);
      updateReading(); // what reject's flush leaves to the end of the parse
      guard();
      return;
    } finally {
      parsing = false;
      encoder.release(transport());
    }
    updateReading();
    guard();
  }

  /** A streamed body can take more: parse what waits in the buffer, then read again. */
  private void bodyDemand() {
    if (!parsing && !closing && connected()) {
      parse(NOTHING);
    }
  }

  /**
   * Answers a request that broke the rules, then closes. If it is a streamed request already handed
   * to the handler, the error replaces the handler's answer, or, if that answer is being written
   * already, the connection is aborted: a response cannot be taken back.
   */
  private void reject(HttpError error) {
    LOG.log(
        Level.DEBUG,
        "{0}: rejected request: {1} {2}",
        transport().getPeer(),
        error.status(),
        error.getMessage());
    HttpResponse answer = HttpResponse.text(error.status(), error.getMessage() + "\n");
    Exchange streaming = incoming;
    lastRequest = true;
    parser.stop();
    stopGuard();
    if (streaming != null && streaming == outgoing) {
      // Its response was begun: if none of it has left, it gives way to the error; else the
      // connection can only be cut (a response cannot be taken back).
      boolean retracted = encoder.retract(transport(), streaming.headMark);
      streaming.stream.cancel();
      outgoing = null;
      if (!retracted) {
        closing = true;
        shutDown(error);
        encoder.discard(transport());
        transport().abortConnection();
        return;
      }
    }
    failIncoming(Failure.of(error));
    if (streaming != null && exchanges.contains(streaming)) {
      boolean unanswered = streaming.response == null;
      streaming.response = answer; // the error replaces an answer not yet written
      if (unanswered && streaming.pending != null) {
        streaming.pending.cancel(); // the handler's answer is no longer wanted
      }
    } else {
      Exchange rejected = new Exchange(null);
      rejected.response = answer;
      exchanges.add(rejected);
    }
    flush();
  }

  private void failIncoming(Failure reason) {
    if (incoming != null) {
      Exchange failed = incoming;
      incoming = null;
      failed.body.fail(reason);
    }
  }

  // ---------------------------------------------------------------- requests

  @Override
  public boolean headReceived(HttpRequest head, long length) {
    boolean stream;
    try {
      stream = handler.streamsBody(head);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "streamsBody threw on " + head + "; aggregating the body", e);
      stream = false;
    }
    if (!stream || lastRequest) {
      return false;
    }
    if (length != 0
        && head.version().equals("HTTP/1.1")
        && head.headers().containsToken("Expect", "100-continue")) {
      expectContinue(); // before the handler can answer: never after a final status
    }
    IncomingBody body = new IncomingBody(length, this::bodyDemand);
    head.streamBody(body);
    incoming = dispatch(head, body);
    return true;
  }

  @Override
  public void request(HttpRequest request) {
    if (!lastRequest) {
      dispatch(request, null);
    }
  }

  @Override
  public boolean acceptsBody() {
    return incoming == null || incoming.body.accepting();
  }

  @Override
  public void bodyData(ByteBuffer data) {
    if (incoming != null) {
      incoming.body.data(data);
    }
  }

  @Override
  public void bodyEnd(HttpHeaders trailers) {
    Exchange ended = incoming;
    incoming = null;
    if (lastRequest) {
      parser.stop();
    }
    if (ended != null) {
      ended.body.end(trailers);
    }
  }

  private Exchange dispatch(HttpRequest request, IncomingBody body) {
    request.connection(transport());
    Exchange exchange = new Exchange(request);
    exchange.body = body;
    exchanges.add(exchange);
    if (!exchange.keepAlive) {
      lastRequest = true;
      if (body == null) {
        parser.stop();
      }
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
    answer.addCallbacks(exchange, exchange);
    return exchange;
  }

  @Override
  public void expectContinue() {
    if (exchanges.isEmpty()
        && outgoing == null) { // an interim response must not overtake earlier responses
      encoder.writeRaw(transport(), ByteBuffer.wrap(CONTINUE));
    }
  }

  private HttpResponse serverError(Failure failure) {
    return HttpResponse.text(
        500, options.exposeErrors() ? failure.message() + "\n" : "Internal Server Error\n");
  }

  private void complete(Exchange exchange, HttpResponse response) {
    if (exchange.response == null) {
      exchange.response = response;
      flush();
    }
  }

  // ---------------------------------------------------------------- responses

  /** Writes every response that is ready and next in line; a streamed one holds back the rest. */
  private void flush() {
    if (flushing) {
      return; // the loop below sees what changed
    }
    flushing = true;
    try {
      while (connected()
          && !closing
          && outgoing == null
          && !exchanges.isEmpty()
          && exchanges.peek().response != null) {
        Exchange next = exchanges.poll();
        HttpResponse response = next.response;
        if (response.upgrade() != null) {
          upgrade(next, response); // or, misused, puts it back answered with a 500
          continue;
        }
        Framing framing = ResponseEncoder.framing(response, next.request);
        boolean head = next.request != null && next.request.method().equals("HEAD");
        boolean streams = response.isStreamed() && !head && framing != Framing.NONE;
        // A streamed response (an echo) may read the rest of the body while it is written: whether
        // the body is left unread is decided when it finishes.
        boolean close =
            !next.keepAlive
                || framing == Framing.CLOSE
                || (!streams && next.bodyUnread())
                || (draining && exchanges.isEmpty() && incoming == null);
        if (streams) {
          next.headMark = encoder.mark(transport());
        }
        encoder.write(transport(), response, next.request, framing, close);
        if (!streams) {
          accessLog(next, head || framing == Framing.NONE ? 0 : response.length());
        }
        if (streams) {
          next.closeAfter = close;
          next.stream =
              new ResponseStream(
                  this, transport(), encoder, framing == Framing.CHUNKED, response.length());
          outgoing = next;
          startWriter(next);
        } else if (close) {
          closeAfterResponse();
        }
      }
    } finally {
      flushing = false;
    }
    if (!parsing) { // while a read is parsed, parse() does both once at its end, not once per
      // response
      updateReading();
      guard();
    }
  }

  private static boolean asksToUpgrade(HttpRequest request) {
    return request.headers().contains("Upgrade")
        && request.headers().containsToken("Connection", "upgrade");
  }

  /**
   * Sends a 101 and hands the connection to the protocol it names, with the bytes after the request
   * (a client sends nothing more before the 101, RFC 6455 4.1, RFC 9110 7.8; an upgrade request
   * refused is answered and the connection kept alive, as without the header). A handler that
   * answers later, once requests after it arrived, gets a 500 instead.
   */
  private void upgrade(Exchange exchange, HttpResponse response) {
    if (!asksToUpgrade(exchange.request) || !exchanges.isEmpty() || incoming != null) {
      exchange.response = serverError(Failure.of(new IllegalStateException("101 not asked for")));
      exchanges.addFirst(exchange);
      LOG.log(Level.WARNING, "a handler answered 101 to a request that did not ask to upgrade");
      return;
    }
    encoder.write(transport(), response, exchange.request, Framing.NONE, false);
    accessLog(exchange, 0);
    closing = true; // the HTTP side hears and does nothing more
    stopGuard();
    encoder.release(transport());
    if (readingPaused) {
      readingPaused = false;
      transport().resumeProducing();
    }
    ByteBuffer rest = parser.unparsed();
    parser.stop();
    transport().switchProtocol(response.upgrade(), rest);
  }

  private void startWriter(Exchange exchange) {
    try {
      exchange.response.writer().writeTo(exchange.stream);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the body writer of " + exchange.request + " threw", e);
      exchange.stream.abort("the body writer threw " + e);
    }
  }

  @Override
  public void finished(ResponseStream stream) {
    if (outgoing == null || outgoing.stream != stream) {
      return;
    }
    Exchange done = outgoing;
    outgoing = null;
    accessLog(done, stream.written());
    if (done.closeAfter || done.bodyUnread() || (draining && exchanges.isEmpty())) {
      closeAfterResponse();
    } else {
      flush();
    }
  }

  @Override
  public void aborted(ResponseStream stream, String reason) {
    if (outgoing != null && outgoing.stream == stream) {
      accessLog(outgoing, stream.written()); // logged as sent: its head and part of it went out
      outgoing = null;
    }
    if (!closing) {
      closing = true;
      shutDown(new ResponseAborted(reason));
      encoder.discard(transport());
      transport().abortConnection();
    }
  }

  /**
   * Logs one line for a response (when {@link HttpOptions#accessLog()}): Common Log Format, then
   * the time from the request's dispatch to its response's last byte, in milliseconds.
   */
  private void accessLog(Exchange exchange, long bodyBytes) {
    ended(exchange, bodyBytes, true);
  }

  /** The exchange ended: sent ({@code completed}) or abandoned; the log and observer hear once. */
  private void ended(Exchange exchange, long bodyBytes, boolean completed) {
    if (exchange.ended) {
      return;
    }
    exchange.ended = true;
    HttpServerObserver observer = options.observer();
    if (observer != null) {
      try {
        observer.requestEnded(
            exchange.request,
            exchange.response == null ? 0 : exchange.response.status(),
            time.nanoTime() - exchange.startNanos,
            completed);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the HTTP observer threw; ignored", e);
      }
    }
    if (!completed || !options.accessLog() || !ACCESS.isLoggable(Level.INFO)) {
      return;
    }
    HttpRequest request = exchange.request;
    long millis = request == null ? 0 : (time.nanoTime() - exchange.startNanos) / 1_000_000;
    ACCESS.log(
        Level.INFO,
        AccessLogLine.format(
            transport().getPeer(),
            request,
            exchange.response.status(),
            bodyBytes,
            millis,
            System.currentTimeMillis()));
  }

  /** Thrown into the request's body receiver when its response is aborted. */
  private static final class ResponseAborted extends Exception {
    private static final long serialVersionUID = 1L;

    ResponseAborted(String reason) {
      super("the response was aborted: " + reason, null, false, false);
    }
  }

  private void closeAfterResponse() {
    closing = true;
    shutDown(new IllegalStateException("the connection closed after its last response"));
    encoder.release(transport());
    transport().loseConnection();
  }

  /** Stops timers, fails a body still arriving, cancels answers no one will read. */
  private void shutDown(Throwable reason) {
    stopGuard();
    parser.stop();
    failIncoming(Failure.of(reason));
    for (Exchange exchange : exchanges) {
      ended(exchange, 0, false);
      if (exchange.response == null && exchange.pending != null) {
        exchange.pending.cancel();
      }
      if (exchange.body != null) {
        exchange.body.fail(Failure.of(reason));
      }
    }
    exchanges.clear();
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    closing = true;
    if (outgoing != null) {
      outgoing.stream.closed();
      if (outgoing != null) {
        ended(outgoing, outgoing.stream.written(), false);
        outgoing = null;
      }
    }
    shutDown(reason);
  }

  // ---------------------------------------------------------------- flow control

  /** Reads while there is room for more pipelined requests and a streamed body can take more. */
  private void updateReading() {
    if (closing || !connected()) {
      return;
    }
    int inFlight = exchanges.size() + (outgoing != null ? 1 : 0);
    boolean pause =
        inFlight >= options.maxPipelined() || (incoming != null && !incoming.body.accepting());
    if (pause != readingPaused) {
      readingPaused = pause;
      if (pause) {
        transport().pauseProducing();
      } else {
        transport().resumeProducing();
      }
    }
  }

  // ---------------------------------------------------------------- timeouts

  /** Arms the one timer for the parser's phase: idle, head or body; re-arms only on a change. */
  private void guard() {
    if (closing) {
      return;
    }
    RequestParser.Phase phase = parser.phase();
    boolean busy = phase == RequestParser.Phase.IDLE && (!exchanges.isEmpty() || outgoing != null);
    boolean bodyHeldBack =
        phase == RequestParser.Phase.BODY && incoming != null && !incoming.body.accepting();
    boolean noneExpected = lastRequest && phase == RequestParser.Phase.IDLE;
    if (busy || bodyHeldBack || noneExpected) {
      stopGuard(); // the server owes responses or holds the body back: the peer is not the slow one
      return;
    }
    if (phase == guarded && guard != null && guard.active()) {
      return;
    }
    stopGuard();
    guarded = phase;
    switch (phase) {
      case IDLE ->
          guard =
              time.callLater(
                  options.idleTimeout(),
                  () -> {
                    LOG.log(
                        Level.DEBUG,
                        "{0}: idle for {1}; closing",
                        transport().getPeer(),
                        options.idleTimeout());
                    closing = true;
                    encoder.release(transport());
                    transport().loseConnection();
                  });
      case HEAD ->
          guard =
              time.callLater(
                  options.headerTimeout(),
                  () ->
                      reject(
                          new HttpError(
                              408,
                              "request head not received within "
                                  + options.headerTimeout().toSeconds()
                                  + " s")));
      case BODY -> {
        if (options.minBodyRate() > 0) {
          bodyBytesInWindow = 0;
          guard =
              time.callLater(
                  Duration.ofSeconds(HttpOptions.BODY_RATE_WINDOW_SECONDS), this::checkBodyRate);
        }
      }
    }
  }

  private void checkBodyRate() {
    long needed = (long) options.minBodyRate() * HttpOptions.BODY_RATE_WINDOW_SECONDS;
    if (parser.phase() == RequestParser.Phase.BODY && bodyBytesInWindow < needed) {
      reject(
          new HttpError(
              408, "request body arriving slower than " + options.minBodyRate() + " bytes/s"));
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
}
