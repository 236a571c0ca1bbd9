package io.torsion.protocols.policies;

import io.torsion.ConnectionClosed;
import io.torsion.DelayedCall;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes connections on which nothing was read or written for a while: Twisted's {@code
 * TimeoutMixin} and {@code TimeoutFactory}, for any protocol.
 *
 * <pre>{@code
 * IdleTimeout idle = IdleTimeout.of(reactor, Duration.ofMinutes(5));
 * reactor.listenTCP(8001, idle.wrap(Factory.of(Chat::new)));
 * }</pre>
 *
 * <p>Every byte read or written restarts the wait (cheaply: one time stamp, not a new timer). When
 * it runs out, a wrapped protocol that implements {@link Handler} is told and decides; otherwise
 * the connection is closed with a reason naming the timeout, or aborted if its output is stuck (a
 * peer that stopped reading would otherwise hold it open). {@link #timedOut()} counts the timeouts.
 * Safe to share among ports; its counter is safe to read from any thread.
 */
public final class IdleTimeout {
  private static final System.Logger LOG = System.getLogger(IdleTimeout.class.getName());

  /**
   * Implemented by a wrapped protocol that handles its own timeout (Twisted's {@code
   * timeoutConnection}).
   */
  public interface Handler {
    /**
     * Called on the reactor thread when the connection was idle for the timeout. Close the
     * connection here, or leave it open: the wait then starts again.
     */
    void idleTimedOut(Duration idle);
  }

  private final ReactorTime time;
  private final Duration idle;
  private final long idleNanos;
  private final LongAdder timedOut = new LongAdder();

  private IdleTimeout(ReactorTime time, Duration idle) {
    this.time = Objects.requireNonNull(time, "time");
    this.idle = Objects.requireNonNull(idle, "idle");
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive: " + idle);
    }
    this.idleNanos = idle.toNanos();
  }

  /**
   * Returns a policy that closes connections idle for {@code idle}, timed by {@code time} (a
   * reactor).
   */
  public static IdleTimeout of(ReactorTime time, Duration idle) {
    return new IdleTimeout(time, idle);
  }

  /** Returns {@code factory} with this timeout on every connection it builds. */
  public Factory<Protocol> wrap(Factory<?> factory) {
    Objects.requireNonNull(factory, "factory");
    return new WrappingFactory(this, factory) {
      @Override
      Protocol wrap(Protocol built, SocketAddress peer) {
        return new Watched(built);
      }
    };
  }

  /** Returns the timeout. */
  public Duration idle() {
    return idle;
  }

  /** Returns how many connections timed out. */
  public long timedOut() {
    return timedOut.sum();
  }

  @Override
  public String toString() {
    return "IdleTimeout[" + idle + ", timedOut=" + timedOut() + "]";
  }

  /** One connection under the timeout. */
  private final class Watched extends ProtocolWrapper {
    private DelayedCall timer;
    private long lastActivity;

    Watched(Protocol wrapped) {
      super(wrapped);
    }

    @Override
    public void connectionMade() {
      lastActivity = time.nanoTime();
      timer = time.callLater(idle, this::check);
      super.connectionMade();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      lastActivity = time.nanoTime();
      super.dataReceived(data);
    }

    @Override
    public void write(ByteBuffer data) {
      lastActivity = time.nanoTime();
      super.write(data);
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      if (timer != null && timer.active()) {
        timer.cancel();
      }
      super.connectionLost(reason);
    }

    private void check() {
      long quiet = time.nanoTime() - lastActivity;
      if (disconnecting()) {
        return;
      }
      if (quiet < idleNanos) {
        timer = time.callLater(Duration.ofNanos(idleNanos - quiet), this::check);
        return;
      }
      timedOut.increment();
      if (wrapped() instanceof Handler handler) {
        handler.idleTimedOut(idle);
        if (!disconnecting()) {
          lastActivity = time.nanoTime();
          timer = time.callLater(idle, this::check);
        }
        return;
      }
      LOG.log(Level.DEBUG, "{0}: idle for {1}; closing", this, idle);
      if (transport().bufferedBytes() > 0) {
        transport()
            .abortConnection(); // the peer is not reading what is queued: a clean close would wait
        // for ever
      } else {
        transport().loseConnection("idle for " + idle + ": closed by the idle timeout");
      }
    }
  }
}
