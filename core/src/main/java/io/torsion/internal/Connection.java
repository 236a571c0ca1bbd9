package io.torsion.internal;

import io.torsion.ConnectError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.Deferred;
import io.torsion.DrainableProtocol;
import io.torsion.Failure;
import io.torsion.HalfCloseableProtocol;
import io.torsion.PeerCredentials;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.ReactorOptions;
import io.torsion.TlsHandshakeError;
import io.torsion.Transport;
import io.torsion.spi.Poller;
import io.torsion.spi.Socket;
import io.torsion.spi.SocketEvents;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A connection: the {@link Transport} a protocol writes to, and the driver of that {@link
 * Protocol}, over a transport's {@link Socket} whose {@link SocketEvents} it receives. Everything
 * above the socket is here, shared by every transport:
 *
 * <ul>
 *   <li>building the protocol, and containing what its callbacks throw (this connection is aborted
 *       with {@link ConnectionLost}; the reactor goes on);
 *   <li>writes made while handling a read are flushed once, when the read burst ends (but the
 *       burst's first write of 16 KiB or more at once);
 *   <li>no {@code dataReceived} while paused (a read already under way is held and delivered on
 *       resume, in order);
 *   <li>registered producers paused and resumed at the watermarks, and the hard limit;
 *   <li>reads follow writes: without a producer, reading stops while output is backed up;
 *   <li>the reactor-wide output budget, and failed allocations contained to their connection;
 *   <li>{@link ConnectionDone} versus {@link ConnectionLost}, and the client's Deferred.
 * </ul>
 *
 * <p>The state only moves forward: connecting, open, closing (asked to close; a registered producer
 * finishes first), closed. Threads: everything runs on the loop's thread, from {@link #opened} on;
 * before that, only the transport touches it.
 */
final class Connection implements Transport, SocketEvents {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());

  // The state, which only moves forward; a byte, as the flags below, because idle connections are
  // what a server holds most of (every field of this class counts, per connection).
  private static final byte CONNECTING = 0;
  private static final byte OPEN = 1;
  private static final byte CLOSING = 2; // asked to close; a registered producer finishes first
  private static final byte CLOSED = 3;
  private static final String[] STATE_NAMES = {"connecting", "open", "closing", "closed"};

  /**
   * Writes made while handling a read wait for the burst's end, and go in one system call (the
   * responses to pipelined requests), except the burst's first write of at least this many bytes
   * (the echo of a whole read, a chunk of a stream), which goes at once: a stream's bytes then do
   * not wait here for the whole burst while its peer waits for room in its window. Measured on an
   * echo (benchmarks/README.md): one streaming connection 1.30x, 64 connections unchanged; every
   * large write going at once cost those 64 connections 16% in system calls.
   */
  private static final int FLUSH_IN_BURST_BYTES = 16 * 1024;

  private static final int IN_READ_BURST = 1;
  private static final int FLUSH_PENDING = 1 << 1;
  private static final int PAUSED = 1 << 2;
  private static final int WRITE_SHUTDOWN = 1 << 3;
  private static final int PRODUCER_PAUSED = 1 << 4;
  private static final int PULL_SCHEDULED = 1 << 5;
  private static final int CLOSE_WHEN_PRODUCER_DONE = 1 << 6;
  private static final int READS_HELD = 1 << 7; // reads stopped because output is backed up
  private static final int PULL = 1 << 8; // the producer registered is a pull producer
  private static final int IN_WRITE = 1 << 9; // in socket.write: writability is judged after it
  private static final int FLUSHED_IN_BURST = 1 << 10; // a large write of this burst went at once

  private final Origin
      origin; // reactor, factory and client Deferred; shared by a port's connections

  // This connection's place in its loop's list of connections (Loop): two fields here
  // instead of an entry in a set, because idle connections are what a server holds most of.
  Connection previousInLoop;
  Connection nextInLoop;

  private Socket socket;
  private Loop loop;
  private Protocol protocol;
  private Object producer; // a PushProducer, or a PullProducer (flag PULL)
  private Aside aside; // made when first needed
  private byte state = CONNECTING;
  private short flags;
  private long charged; // what this connection counts against the reactor's output budget

  /** Creates a connection of {@code origin}'s reactor, whose protocol its factory builds. */
  Connection(Origin origin) {
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /**
   * What few connections ever need, kept out of the many idle ones: the reads that arrived while
   * paused, and the reason the connection closes (when it is not a clean close).
   */
  private static final class Aside {
    ArrayDeque<ByteBuffer> held;
    ConnectionClosed reason;
    Deferred<TlsInfo> tlsStarted; // startTLS's, until the handshake is done
  }

  private Aside aside() {
    if (aside == null) {
      aside = new Aside();
    }
    return aside;
  }

  private ConnectionClosed reason() {
    return aside == null ? null : aside.reason;
  }

  private void reason(ConnectionClosed why) {
    aside().reason = why;
  }

  private void dropHeld() {
    if (aside != null) {
      aside.held = null;
    }
  }

  private boolean is(int flag) {
    return (flags & flag) != 0;
  }

  private void set(int flag, boolean on) {
    flags = (short) (on ? flags | flag : flags & ~flag);
  }

  private PushProducer pushProducer() {
    return producer != null && !is(PULL) ? (PushProducer) producer : null;
  }

  private PullProducer pullProducer() {
    return is(PULL) ? (PullProducer) producer : null;
  }

  // ---------------------------------------------------------------- socket events

  @Override
  public void opened(Socket socket, Poller poller) {
    this.loop = origin.reactor().loopOf(poller);
    this.socket = new OwnerSocket(socket, loop);
    state = OPEN;
    origin.reactor().connectionOpened(this, this.loop);
    if (origin.tls() != null) {
      TlsLayer tls = new TlsLayer(this.socket, origin.tls(), origin.peerName(), this, loop);
      this.socket = tls;
      tls.start(null); // the protocol is built once the handshake is done: tlsEstablished
      return;
    }
    startProtocol();
  }

  /** Builds the protocol and starts it; for TLS, once the handshake is done. */
  private void startProtocol() {
    Protocol built;
    try {
      built = origin.factory().buildProtocol(getPeer());
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      fail(error, "buildProtocol");
      return;
    }
    if (built == null) {
      LOG.log(Level.DEBUG, "{0} refused the connection from {1}", origin.factory(), getPeer());
      abort(
          new ConnectionAborted(
              "the factory refused the connection (buildProtocol returned null)", null));
      return;
    }
    protocol = built;
    try {
      protocol.makeConnection(this);
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      fail(error, "connectionMade");
      return;
    }
    flushIfPending();
    if (origin.connected() != null && !origin.connected().called() && state == OPEN) {
      origin.connected().callback(protocol);
      flushIfPending();
    }
  }

  @Override
  public void received(ByteBuffer data) {
    if (state == CLOSED) {
      return;
    }
    origin.reactor().counters().bytesRead.add(data.remaining());
    if (socket instanceof TlsLayer tls) {
      set(IN_READ_BURST, true); // writes made while handling the plaintext wait for the burst's end
      tls.received(data);
      return;
    }
    receivedPlain(data, true);
  }

  /** Delivers plaintext, or holds it while paused; {@code lent}: the transport's own buffer. */
  private void receivedPlain(ByteBuffer data, boolean lent) {
    if (protocol == null) {
      return;
    }
    if (is(PAUSED) || is(READS_HELD) || hasHeld()) {
      ByteBuffer copy;
      try {
        copy = ByteBuffer.allocate(data.remaining());
      } catch (OutOfMemoryError error) {
        allocationFailed(error, "holding a read of " + data.remaining() + " bytes");
        return;
      }
      copy.put(data).flip();
      Aside extra = aside();
      if (extra.held == null) {
        extra.held = new ArrayDeque<>(2);
      }
      extra.held.add(copy); // at most one read's worth: reading stopped when paused
      return;
    }
    set(IN_READ_BURST, true);
    Loop on = loop;
    ByteBuffer outer =
        on.lentView; // restored after: reads never nest today, but nothing relies on it
    on.lentView = lent ? data : null;
    try {
      deliver(data);
    } finally {
      on.lentView = outer;
    }
  }

  @Override
  public void readBurstEnded() {
    set(IN_READ_BURST, false);
    set(FLUSHED_IN_BURST, false);
    flushIfPending();
    holdReadsIfBackedUp();
  }

  @Override
  public void peerHalfClosed() {
    if (state != OPEN) {
      return;
    }
    if (socket instanceof TlsLayer tls) {
      tls.peerHalfClosed();
      return;
    }
    readSideClosed();
  }

  private void readSideClosed() {
    if (state != OPEN) {
      return;
    }
    if (protocol instanceof HalfCloseableProtocol halfCloseable) {
      try {
        halfCloseable.readConnectionLost();
      } catch (Throwable error) {
        Failure.rethrowIfFatal(error);
        fail(error, "readConnectionLost");
      }
      flushIfPending();
    } else {
      loseConnection();
    }
  }

  @Override
  public void failed(Throwable cause) {
    if (reason() == null) {
      reason(
          new ConnectionLost(
              cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause));
    }
    if (cause instanceof IOException) {
      LOG.log(Level.DEBUG, "{0}: {1}", this, cause);
    } else {
      LOG.log(Level.WARNING, this + ": unexpected error; closing the connection", cause);
    }
  }

  @Override
  public void closed() {
    boolean wasOpen = state != CONNECTING;
    state = CLOSED;
    if (socket instanceof TlsLayer tls) {
      tls.closed();
      Deferred<TlsInfo> started = takeTlsStarted();
      if (started != null) {
        ConnectionClosed why = why();
        started.errback(
            why.getCause() instanceof TlsHandshakeError handshake
                ? handshake
                : new TlsHandshakeError(
                    TlsHandshakeError.Reason.CLOSED,
                    "the connection closed during the TLS handshake: " + why.getMessage(),
                    why));
      }
    }
    dropHeld();
    set(READS_HELD, false);
    origin.reactor().budget().release(this);
    stopProducer();
    if (loop != null) {
      origin
          .reactor()
          .connectionClosed(this, loop, origin.connected() == null ? null : origin.factory());
    }
    ConnectionClosed why = why();
    if (origin.connected() != null && !origin.connected().called()) {
      origin
          .connected()
          .errback(
              why.getCause() instanceof TlsHandshakeError handshake
                  ? handshake
                  : new ConnectError(
                      "connection closed before it was established: " + why.getMessage(), why));
    }
    if (protocol != null && wasOpen) {
      Protocol lost = protocol;
      Contained.run(() -> lost.connectionLost(why), this, "connectionLost");
    }
  }

  private ConnectionClosed why() {
    return reason() != null ? reason() : new ConnectionDone("connection closed cleanly");
  }

  @Override
  public void connectFailed(ConnectError error) {
    origin.reactor().connectFailed(origin.connected(), origin.factory(), error);
  }

  @Override
  public void writabilityChanged() {
    recharge();
    if (socket.writable()) {
      releaseReads();
      if (pushProducer() != null && is(PRODUCER_PAUSED)) {
        set(PRODUCER_PAUSED, false);
        PushProducer producer = pushProducer();
        callProducer(producer::resumeProducing, "resumeProducing");
      }
      schedulePull();
    } else if (pushProducer() != null && !is(PRODUCER_PAUSED)) {
      set(PRODUCER_PAUSED, true);
      PushProducer producer = pushProducer();
      callProducer(producer::pauseProducing, "pauseProducing");
    } else {
      holdReadsIfBackedUp();
    }
  }

  private void deliver(ByteBuffer data) {
    try {
      protocol.dataReceived(data);
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      fail(error, "dataReceived");
    }
  }

  private void drainHeld() {
    ByteBuffer next;
    while (!is(PAUSED)
        && !is(READS_HELD)
        && state == OPEN
        && aside != null
        && aside.held != null
        && (next = aside.held.poll()) != null) {
      deliver(next);
    }
    flushIfPending();
    if (!is(PAUSED) && !is(READS_HELD) && state == OPEN && !hasHeld()) {
      dropHeld();
      socket.reading(true);
    }
  }

  /**
   * Reads follow writes: while more than the high watermark is queued and no producer manages this
   * connection's flow, it reads nothing, so a peer that sends without reading is slowed down by TCP
   * instead of filling this process's memory. It is judged after each write outside a read burst,
   * and at the end of a burst, once the burst's writes are flushed (a burst is bounded: at most a
   * transport's reads per readiness event): only what the socket does not take holds reads, so a
   * peer that reads as fast as it sends never costs a change of the poller's interest set.
   */
  private void holdReadsIfBackedUp() {
    if (!is(READS_HELD)
        && !is(IN_WRITE)
        && !is(IN_READ_BURST)
        && !is(WRITE_SHUTDOWN) // no more output: a socket shut for writing counts as not writable
        && state == OPEN
        && producer == null
        && origin.reactor().options().readsFollowWrites()
        && !socket.writable()) {
      set(READS_HELD, true);
      origin.reactor().counters().pausedForBackpressure.increment();
      LOG.log(
          Level.TRACE,
          "{0}: output backed up ({1} bytes queued); reading paused",
          this,
          socket.queuedBytes());
      socket.reading(false);
    }
  }

  /** Reads again once the queue is below the low watermark (or a producer took over). */
  private void releaseReads() {
    if (is(READS_HELD)) {
      set(READS_HELD, false);
      if (!is(PAUSED) && state != CLOSED) {
        loop.execute(this::drainHeld);
      }
    }
  }

  /** Contains a failed allocation: this connection is aborted, every other one goes on. */
  private void allocationFailed(OutOfMemoryError error, String what) {
    origin.reactor().counters().allocationFailures.increment();
    LOG.log(
        Level.WARNING,
        "{0}: out of memory {1} ({2}); aborting this connection",
        this,
        what,
        error.getMessage());
    abort(new ConnectionAborted("out of memory " + what + ": " + error.getMessage(), error));
  }

  private boolean hasHeld() {
    return aside != null && aside.held != null && !aside.held.isEmpty();
  }

  /** Contains an exception thrown by protocol code: logs it and aborts this connection only. */
  private void fail(Throwable error, String callback) {
    LOG.log(Level.WARNING, this + ": " + callback + " threw; aborting this connection", error);
    abort(new ConnectionLost(callback + " threw " + error, error));
  }

  // ---------------------------------------------------------------- TLS (from the TlsLayer)

  /** The TLS layer decrypted {@code plain}: it is the layer's buffer, lent for this call. */
  void tlsReceived(ByteBuffer plain) {
    if (state != CLOSED) {
      receivedPlain(plain, false);
    }
  }

  /** The handshake is done: the protocol is built now (or, after startTLS, told). */
  void tlsEstablished(TlsInfo info) {
    if (protocol == null) {
      if (state == OPEN) {
        startProtocol();
      }
      return;
    }
    Deferred<TlsInfo> started = takeTlsStarted();
    if (started != null) {
      started.callback(info);
    }
  }

  /** The handshake failed, or an established session broke; the layer sent its alert. */
  void tlsFailed(TlsHandshakeError error, boolean wasEstablished, boolean server) {
    if (server && !wasEstablished) {
      HandshakeFailures.serverFailed(error);
    } else {
      LOG.log(Level.DEBUG, "{0}: {1}", this, error.getMessage());
    }
    if (reason() == null) {
      reason(new ConnectionLost(error.getMessage(), error));
    }
    Deferred<TlsInfo> started = takeTlsStarted();
    if (started != null) {
      started.errback(error);
    }
    if (state == OPEN || state == CLOSING) {
      state = CLOSING;
      dropHeld();
      socket.closeAfterWrites();
    }
  }

  /** The peer ended its TLS output: with close_notify ({@code clean}), or with a bare FIN. */
  void tlsPeerClosed(boolean clean) {
    if (!clean && reason() == null && state == OPEN) {
      reason(
          new ConnectionLost(
              "the peer closed the TLS connection without close_notify (what it sent last may be"
                  + " truncated)",
              null));
    }
    readSideClosed();
  }

  /** Aborts for a TLS protocol violation, such as a renegotiation. */
  void tlsAbort(String why) {
    LOG.log(Level.DEBUG, "{0}: {1}", this, why);
    abort(new ConnectionLost(why, null));
  }

  /** Returns startTLS's Deferred and forgets it, or null when none waits (any more). */
  private Deferred<TlsInfo> takeTlsStarted() {
    if (aside == null || aside.tlsStarted == null) {
      return null;
    }
    Deferred<TlsInfo> started = aside.tlsStarted;
    aside.tlsStarted = null;
    return started;
  }

  @Override
  public Deferred<TlsInfo> startTLS(TlsOptions options, ByteBuffer alreadyReceived) {
    requireLoopThread();
    Objects.requireNonNull(options, "options");
    if (state != OPEN) {
      throw new IllegalStateException("startTLS: the connection is " + STATE_NAMES[state]);
    }
    if (socket instanceof TlsLayer) {
      throw new IllegalStateException("startTLS: the connection speaks TLS already");
    }
    ByteBuffer already = null;
    if (alreadyReceived != null && alreadyReceived.hasRemaining()) {
      already = ByteBuffer.allocate(alreadyReceived.remaining());
      already.put(alreadyReceived).flip(); // the caller's buffer may be a lent view
    }
    flushIfPending(); // what was written before goes out in plaintext, before the handshake
    Deferred<TlsInfo> done = new Deferred<>();
    aside().tlsStarted = done;
    TlsLayer tls = new TlsLayer(socket, options, null, this, loop);
    socket = tls;
    tls.start(already);
    return done;
  }

  @Override
  public TlsInfo tls() {
    return socket instanceof TlsLayer tls ? tls.info() : null;
  }

  // ---------------------------------------------------------------- Transport

  @Override
  public void write(ByteBuffer data) {
    requireLoopThread();
    int length = data.remaining();
    if (length == 0 || !(state == OPEN || is(CLOSE_WHEN_PRODUCER_DONE)) || is(WRITE_SHUTDOWN)) {
      data.position(data.limit());
      return;
    }
    set(IN_WRITE, true);
    try {
      socket.write(data, data == loop.lentView);
    } catch (OutOfMemoryError error) {
      data.position(data.limit());
      allocationFailed(error, "queueing a write of " + length + " bytes");
      return;
    } finally {
      set(IN_WRITE, false);
    }
    data.position(data.limit());
    DefaultReactor reactor = origin.reactor();
    reactor.counters().bytesWritten.add(length);
    if (!is(IN_READ_BURST)) {
      socket.flush();
    } else if (length >= FLUSH_IN_BURST_BYTES && !is(FLUSHED_IN_BURST)) {
      set(FLUSHED_IN_BURST, true);
      socket.flush();
    } else {
      set(FLUSH_PENDING, true);
    }
    long queued = socket.queuedBytes();
    ReactorOptions options = reactor.options();
    if (queued > options.writeBufferLimit()) {
      LOG.log(
          Level.WARNING,
          "{0}: {1} bytes queued, over the write buffer limit of {2}; aborting",
          this,
          queued,
          options.writeBufferLimit());
      abort(
          new ConnectionAborted(
              "write buffer limit of "
                  + options.writeBufferLimit()
                  + " bytes exceeded ("
                  + queued
                  + " queued): the peer does not read fast enough; stream large data with a producer",
              null));
      return;
    }
    if (reactor.budget().charge(this, queued)) {
      reactor.budget().settle(loop);
      if (state != OPEN && !is(CLOSE_WHEN_PRODUCER_DONE)) {
        return;
      }
    }
    holdReadsIfBackedUp();
  }

  /** Returns what this connection counts against the output budget (see {@link OutputBudget}). */
  long charged() {
    return charged;
  }

  void charged(long bytes) {
    charged = bytes;
  }

  /** Recharges the budget with what is really queued now; for {@link OutputBudget#settle}. */
  void recharge() {
    if (state != CLOSED) {
      origin.reactor().budget().charge(this, socket.queuedBytes());
    }
  }

  /** Aborts this connection because the reactor's output budget is spent. */
  void abortOverBudget(long budget) {
    origin.reactor().counters().abortedOverBudget.increment();
    LOG.log(
        Level.DEBUG,
        "{0}: holds {1} queued bytes, the most, while output of all connections is over the"
            + " budget of {2}; aborting",
        this,
        charged,
        budget);
    abort(
        new ConnectionAborted(
            "the reactor's output budget of "
                + budget
                + " bytes for all connections is spent"
                + " and this connection held the most ("
                + charged
                + " bytes queued): the peer does not read",
            null));
  }

  private void flushIfPending() {
    if (is(FLUSH_PENDING)) {
      set(FLUSH_PENDING, false);
      socket.flush();
    }
  }

  @Override
  public void loseConnection() {
    requireLoopThread();
    if (state != OPEN) {
      return;
    }
    state = CLOSING;
    if (producer != null) {
      set(CLOSE_WHEN_PRODUCER_DONE, true); // Twisted's rule: the producer finishes first
      return;
    }
    closeAfterWrites();
  }

  private void closeAfterWrites() {
    set(FLUSH_PENDING, false);
    socket.closeAfterWrites();
  }

  @Override
  public void switchProtocol(Protocol next, ByteBuffer unconsumed) {
    requireLoopThread();
    Objects.requireNonNull(next, "next");
    if (state != OPEN) {
      throw new IllegalStateException("switchProtocol: the connection is " + STATE_NAMES[state]);
    }
    ByteBuffer rest = ByteBuffer.allocate(unconsumed.remaining());
    rest.put(unconsumed).flip(); // the caller's buffer may be a lent view
    protocol = next;
    try {
      next.makeConnection(this);
      if (rest.hasRemaining() && state == OPEN) {
        next.dataReceived(rest);
      }
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      fail(error, "the new protocol's connectionMade or dataReceived");
    }
  }

  @Override
  public void loseConnection(String why) {
    requireLoopThread();
    if (state == OPEN && reason() == null) {
      LOG.log(Level.DEBUG, "{0}: closing: {1}", this, why);
      reason(new ConnectionLost(Objects.requireNonNull(why, "reason"), null));
    }
    loseConnection();
  }

  @Override
  public void abortConnection() {
    requireLoopThread();
    abort(new ConnectionAborted("connection aborted by this side", null));
  }

  /** Closes now with {@code why} as the reason the protocol hears, unless one is set already. */
  void abort(ConnectionClosed why) {
    if (state == CLOSED) {
      return;
    }
    if (reason() == null) {
      reason(why);
    }
    state = CLOSING;
    dropHeld();
    socket.closeNow();
  }

  /**
   * Closes for reactor shutdown: a {@link io.torsion.DrainableProtocol} is asked to finish its
   * in-flight work and close; any other protocol's producer is stopped, then the connection flushes
   * and closes.
   */
  void closeForShutdown() {
    if (state == OPEN && protocol instanceof DrainableProtocol drainable) {
      boolean drains;
      try {
        drains = drainable.drainConnection();
      } catch (Throwable error) {
        Failure.rethrowIfFatal(error);
        fail(error, "drainConnection"); // contained like every other callback: this connection only
        return;
      }
      flushIfPending();
      if (drains) {
        return;
      }
    }
    stopProducer();
    if (is(CLOSE_WHEN_PRODUCER_DONE)) {
      set(CLOSE_WHEN_PRODUCER_DONE, false);
      closeAfterWrites();
    } else {
      loseConnection();
    }
  }

  @Override
  public void loseWriteConnection() {
    requireLoopThread();
    if (state != OPEN || is(WRITE_SHUTDOWN)) {
      return;
    }
    set(WRITE_SHUTDOWN, true);
    set(FLUSH_PENDING, false);
    socket.shutdownOutputAfterWrites();
    releaseReads(); // nothing more is written, so nothing backs up: the peer's end must be read
  }

  @Override
  public boolean disconnecting() {
    return state == CLOSING || state == CLOSED;
  }

  @Override
  public long bufferedBytes() {
    return socket == null ? 0 : socket.queuedBytes();
  }

  @Override
  public void pauseProducing() {
    requireLoopThread();
    if (!is(PAUSED) && state != CLOSED) {
      set(PAUSED, true);
      socket.reading(false);
    }
  }

  @Override
  public void resumeProducing() {
    requireLoopThread();
    if (is(PAUSED) && state != CLOSED) {
      set(PAUSED, false);
      if (!is(READS_HELD)) {
        // Deliver held reads from the loop, not from inside the caller's own callback.
        loop.execute(this::drainHeld);
      }
    }
  }

  // ---------------------------------------------------------------- producers

  @Override
  public void registerProducer(PushProducer producer) {
    requireLoopThread();
    requireNoProducer(producer);
    this.producer = producer;
    set(PULL, false);
    releaseReads();
    if (state == CLOSED) {
      stopProducer();
    } else if (!socket.writable()) {
      set(PRODUCER_PAUSED, true);
      callProducer(producer::pauseProducing, "pauseProducing");
    }
  }

  @Override
  public void registerProducer(PullProducer producer) {
    requireLoopThread();
    requireNoProducer(producer);
    this.producer = producer;
    set(PULL, true);
    releaseReads();
    if (state == CLOSED) {
      stopProducer();
    } else {
      schedulePull();
    }
  }

  @Override
  public void unregisterProducer() {
    requireLoopThread();
    producer = null;
    set(PRODUCER_PAUSED, false);
    if (is(CLOSE_WHEN_PRODUCER_DONE)) {
      set(CLOSE_WHEN_PRODUCER_DONE, false);
      closeAfterWrites();
    } else {
      holdReadsIfBackedUp();
    }
  }

  private void requireNoProducer(Object next) {
    Objects.requireNonNull(next, "producer");
    if (producer != null) {
      throw new IllegalStateException(
          "a producer is registered already: " + producer + "; unregister it first");
    }
  }

  /** Asks the pull producer for one more piece on a later turn, while there is room. */
  private void schedulePull() {
    if (pullProducer() != null && !is(PULL_SCHEDULED) && state != CLOSED) {
      set(PULL_SCHEDULED, true);
      loop.execute(
          () -> {
            set(PULL_SCHEDULED, false);
            PullProducer producer = pullProducer();
            if (producer != null && state != CLOSED && socket.writable()) {
              callProducer(producer::resumeProducing, "resumeProducing");
              schedulePull();
            }
          });
    }
  }

  private void stopProducer() {
    PushProducer push = pushProducer();
    PullProducer pull = pullProducer();
    producer = null;
    if (push != null) {
      callProducer(push::stopProducing, "stopProducing");
    }
    if (pull != null) {
      callProducer(pull::stopProducing, "stopProducing");
    }
  }

  private void callProducer(Runnable call, String what) {
    try {
      call.run();
    } catch (Throwable error) {
      Failure.rethrowIfFatal(error);
      fail(error, "the producer's " + what);
    }
  }

  private void requireLoopThread() {
    if (loop == null || !loop.inLoop()) {
      throw new IllegalStateException(
          "Transport methods must be called on the connection's reactor thread, not on '"
              + Thread.currentThread().getName()
              + "'; hop with Reactor.callFromThread ("
              + this
              + ")");
    }
  }

  @Override
  public SocketAddress getPeer() {
    return socket == null ? null : socket.remoteAddress();
  }

  @Override
  public SocketAddress getHost() {
    return socket == null ? null : socket.localAddress();
  }

  @Override
  public PeerCredentials peerCredentials() {
    return socket == null ? null : socket.peerCredentials();
  }

  @Override
  public String toString() {
    Object peer;
    try {
      peer = getPeer();
    } catch (RuntimeException e) {
      peer = "?";
    }
    return "Connection["
        + (socket == null ? "?" : socket.id())
        + ", peer="
        + peer
        + ", "
        + STATE_NAMES[state]
        + (is(PAUSED) ? ", paused" : "")
        + (is(READS_HELD) ? ", output backed up" : "")
        + ", protocol="
        + (protocol == null ? "none" : protocol.getClass().getSimpleName())
        + "]";
  }
}
