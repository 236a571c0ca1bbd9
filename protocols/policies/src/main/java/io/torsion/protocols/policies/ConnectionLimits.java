package io.torsion.protocols.policies;

import io.torsion.ConnectionClosed;
import io.torsion.Factory;
import io.torsion.Protocol;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds how many connections are open at once, in all and per peer address: Twisted's {@code
 * LimitTotalConnectionsFactory} and {@code LimitConnectionsByPeer}.
 *
 * <pre>{@code
 * ConnectionLimits limits = ConnectionLimits.builder().maxConnections(5000).maxPerPeer(50).build();
 * reactor.listenTCP(8001, limits.wrap(Factory.of(Chat::new)));
 * }</pre>
 *
 * <p>A connection over a limit is refused at once: it gets the {@linkplain Builder#refusal refusal
 * message} if one is set, then is closed, and never reaches the wrapped factory. Refusals are
 * counted ({@link #refused()}) and logged once per burst: one warning when refusing starts, one
 * line when connections are accepted again. The limits count the connections of every factory this
 * instance wraps: use one instance per listening port for a per-port limit. Thread-safe, so it also
 * holds with several reactor threads.
 */
public final class ConnectionLimits {
  private static final System.Logger LOG = System.getLogger(ConnectionLimits.class.getName());

  /** Default of {@link Builder#maxConnections}: unlimited. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private final int maxConnections;
  private final int maxPerPeer;
  private final byte[] refusal;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perPeer = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private final LongAdder refusedInBurst = new LongAdder();
  private final AtomicBoolean refusing = new AtomicBoolean();

  private ConnectionLimits(Builder builder) {
    this.maxConnections = builder.maxConnections;
    this.maxPerPeer = builder.maxPerPeer;
    this.refusal = builder.refusal;
  }

  /** Returns a builder with no limits set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns {@code factory} under these limits. */
  public Factory<Protocol> wrap(Factory<?> factory) {
    Objects.requireNonNull(factory, "factory");
    return new WrappingFactory(this, factory) {
      @Override
      public Protocol buildProtocol(SocketAddress peer) {
        InetAddress address = addressOf(peer);
        String over = admit(address);
        if (over != null) {
          return refuse(peer, over);
        }
        Protocol built;
        try {
          built = super.buildProtocol(peer);
        } catch (RuntimeException | Error e) {
          release(address);
          throw e;
        }
        if (built == null) {
          release(address);
        }
        return built;
      }

      @Override
      Protocol wrap(Protocol built, SocketAddress peer) {
        return new Counted(built, addressOf(peer));
      }
    };
  }

  private static InetAddress addressOf(SocketAddress peer) {
    return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** Returns the connections open now under these limits. */
  public int open() {
    return open.get();
  }

  /** Returns how many connections were refused. */
  public long refused() {
    return refused.sum();
  }

  /** Returns the limit on connections at once. */
  public int maxConnections() {
    return maxConnections;
  }

  /** Returns the limit on connections at once from one peer address. */
  public int maxPerPeer() {
    return maxPerPeer;
  }

  /** Takes a place for a connection from {@code address}, or returns why there is none. */
  private String admit(InetAddress address) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      return "over the limit of " + maxConnections + " connections";
    }
    if (address != null && maxPerPeer != UNLIMITED) {
      boolean[] admitted = {false};
      perPeer.compute(
          address,
          (a, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerPeer) {
              return count;
            }
            admitted[0] = true;
            return now + 1;
          });
      if (!admitted[0]) {
        open.decrementAndGet();
        return "over the limit of " + maxPerPeer + " connections from " + address.getHostAddress();
      }
    }
    if (refusing.compareAndSet(true, false)) {
      LOG.log(
          Level.INFO,
          "accepting connections again, after refusing {0}",
          refusedInBurst.sumThenReset());
    }
    return null;
  }

  private void release(InetAddress address) {
    open.decrementAndGet();
    if (address != null && maxPerPeer != UNLIMITED) {
      perPeer.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }
  }

  private Protocol refuse(SocketAddress peer, String why) {
    refused.increment();
    refusedInBurst.increment();
    if (refusing.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "refusing connections: {0} (first refused: {1}); logged once until accepting again",
          why,
          peer);
    }
    return new Protocol() {
      @Override
      public void connectionMade() {
        if (refusal.length > 0) {
          transport().write(refusal);
        }
        transport().loseConnection("refused: " + why);
      }
    };
  }

  @Override
  public String toString() {
    return "ConnectionLimits[max="
        + (maxConnections == UNLIMITED ? "unlimited" : maxConnections)
        + ", perPeer="
        + (maxPerPeer == UNLIMITED ? "unlimited" : maxPerPeer)
        + ", open="
        + open()
        + ", refused="
        + refused()
        + "]";
  }

  /** One admitted connection: gives its place back when it ends. */
  private final class Counted extends ProtocolWrapper {
    private final InetAddress address;
    private boolean released;

    Counted(Protocol wrapped, InetAddress address) {
      super(wrapped);
      this.address = address;
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      if (!released) {
        released = true;
        release(address);
      }
      super.connectionLost(reason);
    }
  }

  /** Builds {@link ConnectionLimits}. */
  public static final class Builder {
    private int maxConnections = UNLIMITED;
    private int maxPerPeer = UNLIMITED;
    private byte[] refusal = new byte[0];

    private Builder() {}

    /** Sets the most connections open at once; at least 1. */
    public Builder maxConnections(int limit) {
      this.maxConnections = positive("maxConnections", limit);
      return this;
    }

    /** Sets the most connections open at once from one peer address; at least 1. */
    public Builder maxPerPeer(int limit) {
      this.maxPerPeer = positive("maxPerPeer", limit);
      return this;
    }

    /**
     * Sets what a refused connection is sent before it is closed, e.g. {@code "ERROR busy\r\n"}.
     */
    public Builder refusal(String message) {
      this.refusal = Objects.requireNonNull(message, "message").getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Returns the limits. */
    public ConnectionLimits build() {
      return new ConnectionLimits(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + value);
      }
      return value;
    }
  }
}
