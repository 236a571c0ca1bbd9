package io.torsion.protocols.http.client;

import io.torsion.ConnectionClosed;
import io.torsion.DelayedCall;
import io.torsion.Failure;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import io.torsion.protocols.http.HttpError;
import io.torsion.protocols.http.HttpHeaders;
import io.torsion.protocols.http.internal.IncomingBody;
import io.torsion.protocols.http.internal.MessageParser;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One client connection: carries one exchange at a time (no pipelining), writes its request, parses
 * the response, and goes back to the pool only when the response ended cleanly, the request was
 * sent whole, both sides allow keep-alive and the server sent nothing beyond the response. Anything
 * else closes it: a pooled connection is never poisoned by a response that went wrong.
 *
 * <p>One timer at a time guards the exchange: waiting for {@code 100 Continue}, for the response
 * head once the request is sent, for each piece of the body; between exchanges, the idle timeout.
 */
final class ClientConnection extends Protocol implements ResponseParser.Listener {
  private static final System.Logger LOG = System.getLogger(HttpClient.class.getName());
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final ConnectionPool pool;
  private final Origin origin;
  private final HttpClientOptions options;
  private final ReactorTime time;
  private final ResponseParser parser;

  private Exchange current;
  private ClientResponse response;
  private IncomingBody body; // a streamed response body
  private RequestSink sink; // a streamed request body
  private DelayedCall timer;
  private boolean awaitingContinue;
  private boolean expectationFailed; // a 417 answered the Expect of the exchange in flight
  private boolean requestSent;
  private boolean reusable = true;
  private boolean responseBytes; // a byte of the current response has arrived
  private boolean parsing;
  private boolean readingPaused;
  private boolean closing;
  private int served;

  /** Counted by the pool: it connected (and finished its TLS handshake). */
  boolean pooled;

  /** The exchange that completed during a parse, and its response: fired once the parse ends. */
  private Exchange completed;

  private ClientResponse completedResponse;

  ClientConnection(
      ConnectionPool pool, Origin origin, HttpClientOptions options, ReactorTime time) {
    this.pool = pool;
    this.origin = origin;
    this.options = options;
    this.time = time;
    this.parser = new ResponseParser(options, this);
  }

  Origin origin() {
    return origin;
  }

  /** Returns true if the connection can take an exchange now. */
  boolean idle() {
    return current == null && !closing && connected();
  }

  // ---------------------------------------------------------------- the request

  /** Sends {@code exchange}'s request and awaits its response. */
  void start(Exchange exchange) {
    stopTimer();
    current = exchange;
    exchange.connection = this;
    exchange.attempts++;
    response = null;
    body = null;
    sink = null;
    responseBytes = false;
    requestSent = false;
    ClientRequest request = exchange.request;
    parser.expect(request.method());
    long length = request.length();
    boolean hasBody = length != 0;
    awaitingContinue =
        hasBody
            && !exchange.withoutExpect
            && (length < 0 || length >= options.expectContinueThreshold());
    transport().write(ByteBuffer.wrap(request.head(origin, options.userAgent(), awaitingContinue)));
    if (awaitingContinue) {
      arm(options.expectContinueTimeout(), this::sendBody);
    } else {
      sendBody();
    }
  }

  private void sendBody() {
    awaitingContinue = false;
    Exchange exchange = current;
    if (exchange == null || closing) {
      return;
    }
    ClientRequest request = exchange.request;
    if (request.writer() == null) {
      byte[] fixed = request.rawBody();
      if (fixed.length > 0) {
        transport().write(ByteBuffer.wrap(fixed));
      }
      requestDone();
      return;
    }
    sink = new RequestSink(this, transport(), request.length());
    try {
      request.writer().writeTo(sink);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the body writer of " + request + " threw", e);
      sink.abort("the body writer threw " + e);
    }
  }

  /** The whole request has been written. */
  void requestDone() {
    requestSent = true;
    if (response == null && current != null) {
      arm(
          options.responseTimeout(),
          () ->
              fail(
                  new HttpClientError(
                      HttpClientError.Reason.TIMEOUT,
                      "no response head within " + seconds(options.responseTimeout()))));
    }
  }

  /** The streamed request body was given up. */
  void requestAborted(String reason) {
    fail(
        new HttpClientError(
            HttpClientError.Reason.ENDED_EARLY, "the request body was aborted: " + reason));
  }

  // ---------------------------------------------------------------- the response

  @Override
  public void dataReceived(ByteBuffer data) {
    if (closing) {
      return;
    }
    if (current == null) {
      LOG.log(Level.DEBUG, "{0}: bytes from the server between responses; closing", origin);
      close();
      return;
    }
    responseBytes = true;
    parse(data);
  }

  private void parse(ByteBuffer data) {
    parsing = true;
    try {
      parser.feed(data);
    } catch (HttpError error) {
      fail(
          new HttpClientError(
              error.status() == 413
                  ? HttpClientError.Reason.BODY_TOO_LARGE
                  : HttpClientError.Reason.MALFORMED_RESPONSE,
              error.getMessage() + " (from " + origin + ")",
              error));
    } finally {
      parsing = false;
    }
    if (parser.phase() == MessageParser.Phase.BODY && current != null) {
      arm(
          options.readTimeout(),
          () ->
              fail(
                  new HttpClientError(
                      HttpClientError.Reason.TIMEOUT,
                      "no byte of the response body for " + seconds(options.readTimeout()))));
    }
    updateReading();
    fireCompleted();
  }

  @Override
  public void interim(int status) {
    if (status == 100 && awaitingContinue) {
      stopTimer();
      sendBody();
    }
  }

  @Override
  public boolean head(int status, String reason, String version, HttpHeaders headers, long length) {
    stopTimer();
    Exchange exchange = current;
    if (awaitingContinue) {
      awaitingContinue = false; // a final status instead of 100: the body is not sent
      reusable = false;
      // RFC 9110 10.1.1: a 417 to Expect is answered by sending the request again without it
      expectationFailed = status == 417;
    } else if (!requestSent) {
      reusable = false; // answered while the body is still going out
    }
    boolean keepAlive =
        version.equals("HTTP/1.1")
            ? !headers.containsToken("Connection", "close")
            : headers.containsToken("Connection", "keep-alive");
    if (!keepAlive) {
      reusable = false;
    }
    response =
        new ClientResponse(
            status, reason, version, headers, exchange.request.uri(), exchange.redirects);
    boolean stream =
        exchange.request.streamsResponse()
            && !exchange.willFollow(status, headers)
            && !expectationFailed;
    if (stream) {
      body = new IncomingBody(length, this::bodyDemand);
      response.streamBody(body);
      exchange.succeed(response);
    }
    return stream;
  }

  @Override
  public boolean acceptsBody() {
    return body == null || body.accepting();
  }

  @Override
  public void bodyData(ByteBuffer data) {
    if (body != null) {
      body.data(data);
    }
  }

  @Override
  public void complete(byte[] whole, HttpHeaders trailers) {
    stopTimer();
    Exchange exchange = current;
    current = null;
    served++;
    if (exchange != null) {
      exchange.connection = null;
    }
    if (parser.leftover()) {
      LOG.log(Level.DEBUG, "{0}: bytes after the response; not reusing the connection", origin);
      reusable = false;
    }
    boolean again =
        reusable && requestSent && !parser.closeDelimited() && (body == null || !body.stopped());
    if (!again) {
      parser.stop();
    }
    Exchange again417 = null;
    if (expectationFailed && exchange != null) {
      expectationFailed = false;
      exchange.withoutExpect = true;
      again417 = exchange; // not delivered: sent again, without Expect, once this one moved on
    } else if (whole != null) {
      response.completeBody(whole, trailers);
      completed = exchange;
      completedResponse = response;
    }
    IncomingBody streamed = body;
    body = null;
    response = null;
    if (again) {
      pool.release(this);
    } else {
      close();
    }
    if (streamed != null) {
      streamed.end(trailers != null ? trailers : new HttpHeaders());
    }
    if (again417 != null) {
      LOG.log(Level.DEBUG, "{0}: 417 to Expect: 100-continue; sending again without it", origin);
      pool.retry(again417);
    }
    if (!parsing) {
      fireCompleted();
    }
  }

  /** Fires the Deferred of an aggregated response that completed, after the connection moved on. */
  private void fireCompleted() {
    Exchange exchange = completed;
    if (exchange != null) {
      completed = null;
      ClientResponse done = completedResponse;
      completedResponse = null;
      exchange.succeed(done);
    }
  }

  /** A streamed body can take more, or was stopped: parse what waits, then read again. */
  private void bodyDemand() {
    if (body != null && body.stopped()) {
      reusable = false; // the rest is not worth reading: the connection closes
      Exchange exchange = current;
      current = null;
      if (exchange != null) {
        exchange.connection = null;
      }
      body = null;
      close();
      return;
    }
    if (!parsing && !closing && connected()) {
      parse(NOTHING);
    }
  }

  private void updateReading() {
    if (closing || !connected()) {
      return;
    }
    boolean pause = body != null && !body.accepting();
    if (pause != readingPaused) {
      readingPaused = pause;
      if (pause) {
        transport().pauseProducing();
      } else {
        transport().resumeProducing();
      }
    }
  }

  // ---------------------------------------------------------------- ending

  /** Fails the exchange in flight and closes the connection. */
  void fail(Throwable error) {
    Exchange exchange = current;
    current = null;
    reusable = false;
    stopTimer();
    if (exchange != null) {
      exchange.connection = null;
      failExchange(exchange, error);
    }
    abort();
  }

  /** The exchange was cancelled: close without a word. */
  void cancel(Exchange exchange) {
    if (current == exchange) {
      current = null;
      exchange.connection = null;
      reusable = false;
      abort();
    }
  }

  /** Closes the connection after what was written. */
  void close() {
    if (!closing) {
      closing = true;
      stopTimer();
      parser.stop();
      if (connected()) {
        transport().loseConnection();
      }
    }
  }

  private void abort() {
    if (!closing) {
      closing = true;
      stopTimer();
      parser.stop();
      if (connected()) {
        transport().abortConnection();
      }
    }
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    closing = true;
    stopTimer();
    if (sink != null) {
      sink.closed();
    }
    Exchange exchange = current;
    pool.removed(this);
    if (exchange == null) {
      return;
    }
    try {
      if (parser.endOfInput()) {
        return; // a body delimited by the close: complete() ran
      }
    } catch (HttpError error) {
      // ended in the middle: reported below
    }
    current = null;
    exchange.connection = null;
    if (!responseBytes && served > 0 && exchange.retryable()) {
      LOG.log(Level.DEBUG, "{0}: a reused connection closed before the response; retrying", origin);
      pool.retry(exchange);
      return;
    }
    HttpClientError error =
        new HttpClientError(
            HttpClientError.Reason.ENDED_EARLY,
            (responseBytes
                    ? "the connection closed before the response was complete"
                    : "the connection closed before any response")
                + " (from "
                + origin
                + ")",
            reason);
    failExchange(exchange, error);
  }

  /** Fails a streamed response's body (its Deferred fired at the head), else the Deferred. */
  private void failExchange(Exchange exchange, Throwable error) {
    if (body != null) {
      IncomingBody failed = body;
      body = null;
      failed.fail(Failure.of(error));
    } else {
      exchange.fail(error);
    }
  }

  // ---------------------------------------------------------------- timers

  /** Arms the one timer, replacing the one before. */
  private void arm(Duration delay, Runnable task) {
    stopTimer();
    timer = time.callLater(delay, task);
  }

  /** Arms the idle timeout of a pooled connection. */
  void idleFor(Duration timeout) {
    arm(
        timeout,
        () -> {
          LOG.log(Level.DEBUG, "{0}: idle for {1}; closing", origin, timeout);
          close();
        });
  }

  private void stopTimer() {
    if (timer != null && timer.active()) {
      timer.cancel();
    }
    timer = null;
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  @Override
  public String toString() {
    return "ClientConnection[" + origin + (current != null ? ", " + current : ", idle") + "]";
  }
}
