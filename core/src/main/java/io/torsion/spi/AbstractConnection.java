package io.torsion.spi;

import io.torsion.ConnectError;
import io.torsion.ConnectionAborted;
import io.torsion.ConnectionClosed;
import io.torsion.ConnectionDone;
import io.torsion.ConnectionLost;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.HalfCloseableProtocol;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.ReactorOptions;
import io.torsion.Transport;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;

/**
 * A connection of an {@link AbstractReactor}, for transport authors: the {@link Transport} a
 * protocol writes to, and the driver of that {@link Protocol}. The transport reports socket events
 * ({@link #opened}, {@link #received}, {@link #readBurstEnded}, {@link #peerHalfClosed}, {@link
 * #failed}, {@link #closed}, {@link #writabilityChanged}) and implements the socket operations;
 * everything else is here, shared by every transport:
 *
 * <ul>
 *   <li>building the protocol, and containing what its callbacks throw (this connection is
 *       aborted with {@link ConnectionLost}; the reactor goes on);
 *   <li>writes made while handling a read are flushed once, when the read burst ends;
 *   <li>no {@code dataReceived} while paused (a read already under way is held and delivered on
 *       resume, in order);
 *   <li>registered producers paused and resumed at the watermarks, and the hard limit;
 *   <li>reads follow writes: without a producer, reading stops while output is backed up;
 *   <li>the reactor-wide output budget, and failed allocations contained to their connection;
 *   <li>{@link ConnectionDone} versus {@link ConnectionLost}, and the client's Deferred.
 * </ul>
 *
 * All methods run on the connection's loop thread.
 */
public abstract class AbstractConnection implements Transport {
  private static final System.Logger LOG = System.getLogger(Transport.class.getName());

  private enum State {
    CONNECTING,
    OPEN,
    CLOSING,
    CLOSED
  }

  private final AbstractReactor<?> reactor;
  private final Factory<?> factory;
  private final Deferred<Protocol> connected; // client side only
  private ArrayDeque<ByteBuffer> held; // reads that arrived while paused; made when first needed

  // This connection's place in its loop's list of connections (ReactorLoop): two fields here
  // instead of an entry in a set, because idle connections are what a server holds most of.
  AbstractConnection previousInLoop;
  AbstractConnection nextInLoop;

  private ReactorLoop loop;
  private Protocol protocol;
  private State state = State.CONNECTING;
  private ConnectionClosed reason;
  private boolean inReadBurst;
  private boolean flushPending;
  private boolean paused;
  private boolean writeShutdown;
  private PushProducer pushProducer;
  private PullProducer pullProducer;
  private boolean producerPaused;
  private boolean pullScheduled;
  private boolean closeWhenProducerDone;
  private boolean readsHeld; // reads stopped because output is backed up (reads follow writes)
  private long charged; // what this connection counts against the reactor's output budget

  /**
   * Creates a connection of {@code reactor} whose protocol {@code factory} builds.
   *
   * @param connected for a client connection, the Deferred that fires with the protocol once it
   *     is connected; null for an accepted connection
   */
  @SuppressWarnings("unchecked")
  protected AbstractConnection(AbstractReactor<?> reactor, Factory<?> factory, Deferred<? extends Protocol> connected) {
    this.reactor = Objects.requireNonNull(reactor, "reactor");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.connected = (Deferred<Protocol>) connected;
  }

  // ---------------------------------------------------------------- socket operations

  /**
   * Queues {@code data}'s remaining bytes for sending without flushing; the caller moves its
   * position afterwards. {@code lent} is true when {@code data} is the very buffer that {@link
   * #received} is lending now (on this loop, to this connection or another), which a transport
   * may send without copying.
   */
  protected abstract void queueWrite(ByteBuffer data, boolean lent);

  /** Starts sending what is queued. */
  protected abstract void flushWrites();

  /** Sends what is queued, then closes the socket. */
  protected abstract void closeAfterWrites();

  /** Closes the socket now, dropping what is queued. */
  protected abstract void closeNow();

  /** Sends what is queued, then shuts down the socket's output. */
  protected abstract void shutdownOutputAfterWrites();

  /** Starts or stops reading from the socket. */
  protected abstract void setReading(boolean reading);

  /** Returns the bytes queued and not yet handed to the OS (plus any fixed per-write overhead). */
  protected abstract long queuedBytes();

  /**
   * Returns false while the queue is above the high watermark, and true again once it falls below
   * the low one; call {@link #writabilityChanged()} when it flips.
   */
  protected abstract boolean writable();

  // ---------------------------------------------------------------- socket events

  /** Reports that the socket is connected, on {@code loop}: builds the protocol and starts it. */
  protected final void opened(ReactorLoop loop) {
    this.loop = loop;
    state = State.OPEN;
    reactor.connectionOpened(this, loop);
    Protocol built;
    try {
      built = factory.buildProtocol(getPeer());
    } catch (Throwable error) {
      AbstractReactor.rethrowIfFatal(error);
      fail(error, "buildProtocol");
      return;
    }
    if (built == null) {
      LOG.log(Level.DEBUG, "{0} refused the connection from {1}", factory, getPeer());
      abort(new ConnectionAborted("the factory refused the connection (buildProtocol returned null)", null));
      return;
    }
    protocol = built;
    try {
      protocol.makeConnection(this);
    } catch (Throwable error) {
      AbstractReactor.rethrowIfFatal(error);
      fail(error, "connectionMade");
      return;
    }
    flushIfPending();
    if (connected != null && !connected.called() && state == State.OPEN) {
      connected.callback(protocol);
      flushIfPending();
    }
  }

  /**
   * Reports bytes read. {@code data} is lent to the protocol for the duration of the call; the
   * transport may reuse its memory afterwards.
   */
  protected final void received(ByteBuffer data) {
    if (state == State.CLOSED || protocol == null) {
      return;
    }
    reactor.counters().bytesRead.add(data.remaining());
    if (paused || readsHeld || hasHeld()) {
      ByteBuffer copy;
      try {
        copy = ByteBuffer.allocate(data.remaining());
      } catch (OutOfMemoryError error) {
        allocationFailed(error, "holding a read of " + data.remaining() + " bytes");
        return;
      }
      copy.put(data).flip();
      if (held == null) {
        held = new ArrayDeque<>(2);
      }
      held.add(copy); // at most one read's worth: reading stopped when paused
      return;
    }
    inReadBurst = true;
    ReactorLoop on = loop;
    ByteBuffer outer = on.lentView; // restored after: reads never nest today, but nothing relies on it
    on.lentView = data;
    try {
      deliver(data);
    } finally {
      on.lentView = outer;
    }
  }

  /** Reports the end of a burst of reads: writes made meanwhile are flushed now. */
  protected final void readBurstEnded() {
    inReadBurst = false;
    flushIfPending();
  }

  /** Reports that the peer shut down its output (end of stream, the socket still open). */
  protected final void peerHalfClosed() {
    if (state != State.OPEN) {
      return;
    }
    if (protocol instanceof HalfCloseableProtocol halfCloseable) {
      try {
        halfCloseable.readConnectionLost();
      } catch (Throwable error) {
        AbstractReactor.rethrowIfFatal(error);
        fail(error, "readConnectionLost");
      }
      flushIfPending();
    } else {
      loseConnection();
    }
  }

  /** Reports an I/O error; the transport closes the socket and then reports {@link #closed()}. */
  protected final void failed(Throwable cause) {
    if (reason == null) {
      reason = new ConnectionLost(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
    if (cause instanceof java.io.IOException) {
      LOG.log(Level.DEBUG, "{0}: {1}", this, cause);
    } else {
      LOG.log(Level.WARNING, this + ": unexpected error; closing the connection", cause);
    }
  }

  /** Reports that the socket is closed: the protocol hears {@code connectionLost} once. */
  protected final void closed() {
    boolean wasOpen = state != State.CONNECTING;
    state = State.CLOSED;
    held = null;
    readsHeld = false;
    reactor.budget().release(this);
    stopProducer();
    if (loop != null) {
      reactor.connectionClosed(this, loop, connected == null ? null : factory);
    }
    ConnectionClosed why = reason != null ? reason : new ConnectionDone("connection closed cleanly");
    if (connected != null && !connected.called()) {
      connected.errback(new ConnectError("connection closed before it was established: " + why.getMessage(), why));
    }
    if (protocol != null && wasOpen) {
      Protocol lost = protocol;
      AbstractReactor.runContained(() -> lost.connectionLost(why), this + ": connectionLost");
    }
  }

  /** Reports that {@link #writable()} changed: producers are paused, resumed or asked for more. */
  protected final void writabilityChanged() {
    recharge();
    if (writable()) {
      releaseReads();
      if (pushProducer != null && producerPaused) {
        producerPaused = false;
        PushProducer producer = pushProducer;
        callProducer(producer::resumeProducing, "resumeProducing");
      }
      schedulePull();
    } else if (pushProducer != null && !producerPaused) {
      producerPaused = true;
      PushProducer producer = pushProducer;
      callProducer(producer::pauseProducing, "pauseProducing");
    } else {
      holdReadsIfBackedUp();
    }
  }

  /** Returns the reactor this connection belongs to. */
  protected final AbstractReactor<?> reactor() {
    return reactor;
  }

  /** Returns the loop this connection lives on, or null before {@link #opened}. */
  protected final ReactorLoop loop() {
    return loop;
  }

  private void deliver(ByteBuffer data) {
    try {
      protocol.dataReceived(data);
    } catch (Throwable error) {
      AbstractReactor.rethrowIfFatal(error);
      fail(error, "dataReceived");
    }
  }

  private void drainHeld() {
    ByteBuffer next;
    while (!paused && !readsHeld && state == State.OPEN && held != null && (next = held.poll()) != null) {
      deliver(next);
    }
    flushIfPending();
    if (!paused && !readsHeld && state == State.OPEN && !hasHeld()) {
      held = null;
      setReading(true);
    }
  }

  /**
   * Reads follow writes: while more than the high watermark is queued and no producer manages
   * this connection's flow, it reads nothing, so a peer that sends without reading is slowed
   * down by TCP instead of filling this process's memory.
   */
  private void holdReadsIfBackedUp() {
    if (!readsHeld && state == State.OPEN && pushProducer == null && pullProducer == null
        && reactor.options().readsFollowWrites() && !writable()) {
      readsHeld = true;
      reactor.counters().pausedForBackpressure.increment();
      LOG.log(Level.TRACE, "{0}: output backed up ({1} bytes queued); reading paused", this, queuedBytes());
      setReading(false);
    }
  }

  /** Reads again once the queue is below the low watermark (or a producer took over). */
  private void releaseReads() {
    if (readsHeld) {
      readsHeld = false;
      if (!paused && state != State.CLOSED) {
        loop.execute(this::drainHeld);
      }
    }
  }

  /** Contains a failed allocation: this connection is aborted, every other one goes on. */
  private void allocationFailed(OutOfMemoryError error, String what) {
    reactor.counters().allocationFailures.increment();
    LOG.log(Level.WARNING, "{0}: out of memory {1} ({2}); aborting this connection", this, what, error.getMessage());
    abort(new ConnectionAborted("out of memory " + what + ": " + error.getMessage(), error));
  }

  private boolean hasHeld() {
    return held != null && !held.isEmpty();
  }

  /** Contains an exception thrown by protocol code: logs it and aborts this connection only. */
  private void fail(Throwable error, String callback) {
    LOG.log(Level.WARNING, this + ": " + callback + " threw; aborting this connection", error);
    abort(new ConnectionLost(callback + " threw " + error, error));
  }

  // ---------------------------------------------------------------- Transport

  @Override
  public final void write(ByteBuffer data) {
    requireLoopThread();
    int length = data.remaining();
    if (length == 0 || !(state == State.OPEN || closeWhenProducerDone) || writeShutdown) {
      data.position(data.limit());
      return;
    }
    try {
      queueWrite(data, data == loop.lentView);
    } catch (OutOfMemoryError error) {
      data.position(data.limit());
      allocationFailed(error, "queueing a write of " + length + " bytes");
      return;
    }
    data.position(data.limit());
    reactor.counters().bytesWritten.add(length);
    if (inReadBurst) {
      flushPending = true;
    } else {
      flushWrites();
    }
    long queued = queuedBytes();
    ReactorOptions options = reactor.options();
    if (queued > options.writeBufferLimit()) {
      LOG.log(Level.WARNING, "{0}: {1} bytes queued, over the write buffer limit of {2}; aborting",
          this, queued, options.writeBufferLimit());
      abort(new ConnectionAborted("write buffer limit of " + options.writeBufferLimit() + " bytes exceeded ("
          + queued + " queued): the peer does not read fast enough; stream large data with a producer", null));
      return;
    }
    if (reactor.budget().charge(this, queued)) {
      reactor.budget().settle(loop);
      if (state != State.OPEN && !closeWhenProducerDone) {
        return;
      }
    }
    holdReadsIfBackedUp();
  }

  /** Returns what this connection counts against the output budget (see {@link OutputBudget}). */
  final long charged() {
    return charged;
  }

  final void charged(long bytes) {
    charged = bytes;
  }

  /** Recharges the budget with what is really queued now; for {@link OutputBudget#settle}. */
  final void recharge() {
    if (state != State.CLOSED) {
      reactor.budget().charge(this, queuedBytes());
    }
  }

  /** Aborts this connection because the reactor's output budget is spent. */
  final void abortOverBudget(long budget) {
    reactor.counters().abortedOverBudget.increment();
    LOG.log(Level.DEBUG, "{0}: holds {1} queued bytes, the most, while output of all connections is over the"
        + " budget of {2}; aborting", this, charged, budget);
    abort(new ConnectionAborted("the reactor's output budget of " + budget + " bytes for all connections is spent"
        + " and this connection held the most (" + charged + " bytes queued): the peer does not read", null));
  }

  private void flushIfPending() {
    if (flushPending) {
      flushPending = false;
      flushWrites();
    }
  }

  @Override
  public final void loseConnection() {
    requireLoopThread();
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    if (pushProducer != null || pullProducer != null) {
      closeWhenProducerDone = true; // Twisted's rule: the producer finishes first
      return;
    }
    flushPending = false;
    closeAfterWrites();
  }

  @Override
  public final void switchProtocol(Protocol next, ByteBuffer unconsumed) {
    requireLoopThread();
    Objects.requireNonNull(next, "next");
    if (state != State.OPEN) {
      throw new IllegalStateException("switchProtocol: the connection is " + state.name().toLowerCase(Locale.ROOT));
    }
    ByteBuffer rest = ByteBuffer.allocate(unconsumed.remaining());
    rest.put(unconsumed).flip(); // the caller's buffer may be a lent view
    protocol = next;
    try {
      next.makeConnection(this);
      if (rest.hasRemaining() && state == State.OPEN) {
        next.dataReceived(rest);
      }
    } catch (Throwable error) {
      AbstractReactor.rethrowIfFatal(error);
      fail(error, "the new protocol's connectionMade or dataReceived");
    }
  }

  @Override
  public final void loseConnection(String why) {
    requireLoopThread();
    if (state == State.OPEN && reason == null) {
      LOG.log(Level.DEBUG, "{0}: closing: {1}", this, why);
      reason = new ConnectionLost(Objects.requireNonNull(why, "reason"), null);
    }
    loseConnection();
  }

  @Override
  public final void abortConnection() {
    requireLoopThread();
    abort(new ConnectionAborted("connection aborted by this side", null));
  }

  /** Closes now with {@code why} as the reason the protocol hears, unless one is set already. */
  final void abort(ConnectionClosed why) {
    if (state == State.CLOSED) {
      return;
    }
    if (reason == null) {
      reason = why;
    }
    state = State.CLOSING;
    held = null;
    closeNow();
  }

  /**
   * Closes for reactor shutdown: a {@link io.torsion.DrainableProtocol} is asked to finish its
   * in-flight work and close; any other protocol's producer is stopped, then the connection flushes
   * and closes.
   */
  final void closeForShutdown() {
    if (state == State.OPEN && protocol instanceof io.torsion.DrainableProtocol drainable) {
      boolean drains;
      try {
        drains = drainable.drainConnection();
      } catch (Throwable error) {
        AbstractReactor.rethrowIfFatal(error);
        fail(error, "drainConnection"); // contained like every other callback: this connection only
        return;
      }
      flushIfPending();
      if (drains) {
        return;
      }
    }
    if (closeWhenProducerDone) {
      closeWhenProducerDone = false;
      state = State.OPEN;
    }
    stopProducer();
    loseConnection();
  }

  @Override
  public final void loseWriteConnection() {
    requireLoopThread();
    if (state != State.OPEN || writeShutdown) {
      return;
    }
    writeShutdown = true;
    flushPending = false;
    shutdownOutputAfterWrites();
  }

  @Override
  public final boolean disconnecting() {
    return state == State.CLOSING || state == State.CLOSED;
  }

  @Override
  public final long bufferedBytes() {
    return queuedBytes();
  }

  @Override
  public final void pauseProducing() {
    requireLoopThread();
    if (!paused && state != State.CLOSED) {
      paused = true;
      setReading(false);
    }
  }

  @Override
  public final void resumeProducing() {
    requireLoopThread();
    if (paused && state != State.CLOSED) {
      paused = false;
      if (!readsHeld) {
        // Deliver held reads from the loop, not from inside the caller's own callback.
        loop.execute(this::drainHeld);
      }
    }
  }

  // ---------------------------------------------------------------- producers

  @Override
  public final void registerProducer(PushProducer producer) {
    requireLoopThread();
    requireNoProducer(producer);
    pushProducer = producer;
    releaseReads();
    if (state == State.CLOSED) {
      stopProducer();
    } else if (!writable()) {
      producerPaused = true;
      callProducer(producer::pauseProducing, "pauseProducing");
    }
  }

  @Override
  public final void registerProducer(PullProducer producer) {
    requireLoopThread();
    requireNoProducer(producer);
    pullProducer = producer;
    releaseReads();
    if (state == State.CLOSED) {
      stopProducer();
    } else {
      schedulePull();
    }
  }

  @Override
  public final void unregisterProducer() {
    requireLoopThread();
    pushProducer = null;
    pullProducer = null;
    producerPaused = false;
    if (closeWhenProducerDone) {
      closeWhenProducerDone = false;
      state = State.OPEN;
      loseConnection();
    } else {
      holdReadsIfBackedUp();
    }
  }

  private void requireNoProducer(Object producer) {
    Objects.requireNonNull(producer, "producer");
    if (pushProducer != null || pullProducer != null) {
      throw new IllegalStateException("a producer is registered already: "
          + (pushProducer != null ? pushProducer : pullProducer) + "; unregister it first");
    }
  }

  /** Asks the pull producer for one more piece on a later turn, while there is room. */
  private void schedulePull() {
    if (pullProducer != null && !pullScheduled && state != State.CLOSED) {
      pullScheduled = true;
      loop.execute(() -> {
        pullScheduled = false;
        PullProducer producer = pullProducer;
        if (producer != null && state != State.CLOSED && writable()) {
          callProducer(producer::resumeProducing, "resumeProducing");
          schedulePull();
        }
      });
    }
  }

  private void stopProducer() {
    PushProducer push = pushProducer;
    PullProducer pull = pullProducer;
    pushProducer = null;
    pullProducer = null;
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
      AbstractReactor.rethrowIfFatal(error);
      fail(error, "the producer's " + what);
    }
  }

  private void requireLoopThread() {
    if (loop == null || !loop.inLoop()) {
      throw new IllegalStateException(
          "Transport methods must be called on the connection's reactor thread, not on '"
              + Thread.currentThread().getName() + "'; hop with Reactor.callFromThread (" + this + ")");
    }
  }

  /** Returns a short identity of the socket for {@link #toString()}, e.g. a channel id. */
  protected String socketId() {
    return Integer.toHexString(System.identityHashCode(this));
  }

  @Override
  public final String toString() {
    Object peer;
    try {
      peer = getPeer();
    } catch (RuntimeException e) {
      peer = "?";
    }
    return "Connection[" + socketId() + ", peer=" + peer + ", " + state.name().toLowerCase(Locale.ROOT)
        + (paused ? ", paused" : "") + (readsHeld ? ", output backed up" : "") + ", protocol=" + (protocol == null ? "none" : protocol.getClass().getSimpleName()) + "]";
  }
}
