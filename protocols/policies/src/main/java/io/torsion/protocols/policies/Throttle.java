package io.torsion.protocols.policies;

import io.torsion.ConnectionClosed;
import io.torsion.DelayedCall;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.ReactorTime;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the bytes per second read from and written to connections, each and all together:
 * Twisted's {@code ThrottlingFactory}.
 *
 * <pre>{@code
 * Throttle throttle = Throttle.builder(reactor).readPerConnection(64 * 1024).writePerPort(10_000_000).build();
 * reactor.listenTCP(8000, throttle.wrap(Factory.of(Echo::new)));
 * }</pre>
 *
 * <p>Reading past a read rate pauses the connection's reading until the rate allows more (TCP then
 * slows the peer). Writing past a write rate holds further writes in the throttle, released as the
 * rate allows; meanwhile the connection reads nothing and a registered producer is paused, so the
 * held bytes stay bounded by what the protocol writes on its own. Each rate allows a burst of one
 * second's worth. The per-port rates are shared by every connection of every factory this instance
 * wraps. Use one instance per reactor thread: it is not thread-safe.
 */
public final class Throttle {
  private final ReactorTime time;
  private final TokenBucket portRead;
  private final TokenBucket portWrite;
  private final long readPerConnection;
  private final long writePerConnection;
  private final LongAdder readsThrottled = new LongAdder();
  private final LongAdder writesThrottled = new LongAdder();

  private Throttle(Builder builder) {
    this.time = builder.time;
    this.readPerConnection = builder.readPerConnection;
    this.writePerConnection = builder.writePerConnection;
    this.portRead = builder.readPerPort > 0 ? new TokenBucket(time, builder.readPerPort) : null;
    this.portWrite = builder.writePerPort > 0 ? new TokenBucket(time, builder.writePerPort) : null;
  }

  /** Returns a builder with no rates set, timed by {@code time} (a reactor). */
  public static Builder builder(ReactorTime time) {
    return new Builder(Objects.requireNonNull(time, "time"));
  }

  /** Returns {@code factory} under these rates. */
  public Factory<Protocol> wrap(Factory<?> factory) {
    Objects.requireNonNull(factory, "factory");
    return new WrappingFactory(this, factory) {
      @Override
      Protocol wrap(Protocol built, SocketAddress peer) {
        return new Throttled(built);
      }
    };
  }

  /** Returns how many times reading paused for a read rate. */
  public long readsThrottled() {
    return readsThrottled.sum();
  }

  /** Returns how many times writes were held back for a write rate. */
  public long writesThrottled() {
    return writesThrottled.sum();
  }

  private static long debt(TokenBucket a, TokenBucket b) {
    return Math.max(a == null ? 0 : a.nanosUntilClear(), b == null ? 0 : b.nanosUntilClear());
  }

  /** One connection under the rates. */
  private final class Throttled extends ProtocolWrapper {
    private final TokenBucket read =
        readPerConnection > 0 ? new TokenBucket(time, readPerConnection) : null;
    private final TokenBucket write =
        writePerConnection > 0 ? new TokenBucket(time, writePerConnection) : null;
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>(); // writes waiting for the rate
    private long heldBytes;
    private boolean writeThrottled; // over a write rate: writes wait in held until release()
    private boolean readingWanted = true; // what this wrapper last told the transport
    private boolean readThrottled;
    private boolean userPausedReading;
    private boolean
        transportPausedProducer; // the transport asked our producer to pause (watermarks)
    private PushProducer push;
    private PullProducer pull;
    private boolean producerPaused;
    private DelayedCall readTimer;
    private DelayedCall writeTimer;
    private DelayedCall pullTimer;
    private boolean closeWhenReleased;
    private String closeReason;
    private boolean halfCloseWhenReleased;

    Throttled(Protocol wrapped) {
      super(wrapped);
    }

    // ------------------------------------------------------------ reading

    @Override
    public void dataReceived(ByteBuffer data) {
      long n = data.remaining();
      take(read, portRead, n);
      super.dataReceived(data);
      long wait = debt(read, portRead);
      if (wait > 0 && !readThrottled && !disconnecting()) {
        readThrottled = true;
        readsThrottled.increment();
        updateReading();
        readTimer = time.callLater(Duration.ofNanos(wait), this::readAllowed);
      }
    }

    private void readAllowed() {
      long wait = debt(read, portRead);
      if (wait > 0) {
        readTimer = time.callLater(Duration.ofNanos(wait), this::readAllowed);
        return;
      }
      readThrottled = false;
      updateReading();
    }

    @Override
    public void pauseProducing() {
      userPausedReading = true;
      updateReading();
    }

    @Override
    public void resumeProducing() {
      userPausedReading = false;
      updateReading();
    }

    private void updateReading() {
      boolean want = !userPausedReading && !readThrottled && !writeThrottled;
      if (want != readingWanted && !disconnecting()) {
        readingWanted = want;
        if (want) {
          transport().resumeProducing();
        } else {
          transport().pauseProducing();
        }
      }
    }

    // ------------------------------------------------------------ writing

    @Override
    public void write(ByteBuffer data) {
      if (writeThrottled) {
        hold(data);
        return;
      }
      take(write, portWrite, data.remaining());
      super.write(data);
      long wait = debt(write, portWrite);
      if (wait > 0) {
        writesThrottled.increment();
        writeThrottled = true;
        writeTimer = time.callLater(Duration.ofNanos(wait), this::release);
        updateProducer();
        updateReading();
      }
    }

    private void hold(ByteBuffer data) {
      ByteBuffer copy = ByteBuffer.allocate(data.remaining());
      copy.put(data).flip();
      held.add(copy);
      heldBytes += copy.remaining();
    }

    /**
     * Writes what was held as the rate allows; once all is out, writes pass straight through again.
     */
    private void release() {
      if (!disconnecting() && waitForRate()) {
        return; // the timer fired before the debt was paid (the port's rate is shared)
      }
      while (!held.isEmpty() && !disconnecting()) {
        if (waitForRate()) {
          return;
        }
        ByteBuffer next = held.poll();
        heldBytes -= next.remaining();
        take(write, portWrite, next.remaining());
        super.write(next);
      }
      writeThrottled = false;
      if (closeWhenReleased) {
        closeWhenReleased = false;
        if (closeReason != null) {
          super.loseConnection(closeReason);
        } else {
          super.loseConnection();
        }
      } else if (halfCloseWhenReleased) {
        halfCloseWhenReleased = false;
        super.loseWriteConnection();
      }
      updateProducer();
      updateReading();
    }

    /**
     * Returns true, with release() scheduled for when it is paid, while a write rate is in debt.
     */
    private boolean waitForRate() {
      long wait = debt(write, portWrite);
      if (wait > 0) {
        writeTimer = time.callLater(Duration.ofNanos(wait), this::release);
        return true;
      }
      return false;
    }

    @Override
    public long bufferedBytes() {
      return super.bufferedBytes() + heldBytes;
    }

    @Override
    public void loseConnection() {
      if (!writeThrottled) {
        super.loseConnection();
      } else {
        closeWhenReleased = true;
      }
    }

    @Override
    public void loseConnection(String reason) {
      if (!writeThrottled) {
        super.loseConnection(reason);
      } else {
        closeWhenReleased = true;
        closeReason = reason;
      }
    }

    @Override
    public void loseWriteConnection() {
      if (!writeThrottled) {
        super.loseWriteConnection();
      } else {
        halfCloseWhenReleased = true;
      }
    }

    @Override
    public void abortConnection() {
      held.clear();
      heldBytes = 0;
      writeThrottled = false;
      super.abortConnection();
    }

    // ------------------------------------------------------------ producers

    @Override
    public void registerProducer(PushProducer producer) {
      requireNone(producer);
      push = producer;
      transportPausedProducer = false;
      producerPaused = false;
      super.registerProducer(proxy);
    }

    @Override
    public void registerProducer(PullProducer producer) {
      requireNone(producer);
      pull = producer;
      transportPausedProducer = false;
      super.registerProducer(proxy);
      schedulePull();
    }

    @Override
    public void unregisterProducer() {
      push = null;
      pull = null;
      if (pullTimer != null && pullTimer.active()) {
        pullTimer.cancel();
      }
      super.unregisterProducer();
    }

    private void requireNone(Object producer) {
      Objects.requireNonNull(producer, "producer");
      if (push != null || pull != null) {
        throw new IllegalStateException(
            "a producer is registered already: " + (push != null ? push : pull));
      }
    }

    /** What the transport sees as the producer: it pauses and resumes it at the watermarks. */
    private final PushProducer proxy =
        new PushProducer() {
          @Override
          public void pauseProducing() {
            transportPausedProducer = true;
            updateProducer();
          }

          @Override
          public void resumeProducing() {
            transportPausedProducer = false;
            updateProducer();
          }

          @Override
          public void stopProducing() {
            PushProducer p = push;
            PullProducer q = pull;
            push = null;
            pull = null;
            if (p != null) {
              p.stopProducing();
            }
            if (q != null) {
              q.stopProducing();
            }
          }
        };

    private void updateProducer() {
      boolean pause = transportPausedProducer || writeThrottled;
      if (push != null && pause != producerPaused) {
        producerPaused = pause;
        if (pause) {
          push.pauseProducing();
        } else {
          push.resumeProducing();
        }
      }
      if (!pause) {
        schedulePull();
      }
    }

    private void schedulePull() {
      if (pull != null && (pullTimer == null || !pullTimer.active())) {
        pullTimer =
            time.callLater(
                Duration.ZERO,
                () -> {
                  if (pull != null
                      && !transportPausedProducer
                      && !writeThrottled
                      && !disconnecting()) {
                    pull.resumeProducing();
                    schedulePull();
                  }
                });
      }
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      for (DelayedCall timer : new DelayedCall[] {readTimer, writeTimer, pullTimer}) {
        if (timer != null && timer.active()) {
          timer.cancel();
        }
      }
      held.clear();
      heldBytes = 0;
      super.connectionLost(reason);
    }
  }

  private static void take(TokenBucket connection, TokenBucket port, long bytes) {
    if (connection != null) {
      connection.take(bytes);
    }
    if (port != null) {
      port.take(bytes);
    }
  }

  /** Builds a {@link Throttle}. A rate of 0 (the default) is no limit. */
  public static final class Builder {
    private final ReactorTime time;
    private long readPerConnection;
    private long writePerConnection;
    private long readPerPort;
    private long writePerPort;

    private Builder(ReactorTime time) {
      this.time = time;
    }

    /** Sets the bytes per second read from each connection. */
    public Builder readPerConnection(long bytesPerSecond) {
      this.readPerConnection = rate("readPerConnection", bytesPerSecond);
      return this;
    }

    /** Sets the bytes per second written to each connection. */
    public Builder writePerConnection(long bytesPerSecond) {
      this.writePerConnection = rate("writePerConnection", bytesPerSecond);
      return this;
    }

    /** Sets the bytes per second read from all connections together. */
    public Builder readPerPort(long bytesPerSecond) {
      this.readPerPort = rate("readPerPort", bytesPerSecond);
      return this;
    }

    /** Sets the bytes per second written to all connections together. */
    public Builder writePerPort(long bytesPerSecond) {
      this.writePerPort = rate("writePerPort", bytesPerSecond);
      return this;
    }

    /** Returns the throttle. */
    public Throttle build() {
      return new Throttle(this);
    }

    private static long rate(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }
  }
}
