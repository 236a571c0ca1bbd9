package io.torsion.protocols.unification;

import io.torsion.ConnectionClosed;
import io.torsion.DelayedCall;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One listening port, several protocols: each connection's first bytes decide which protocol serves
 * it. A {@link Factory} to pass to {@code listenTCP}.
 *
 * <pre>{@code
 * reactor.listenTCP(8080, PortUnification.builder(reactor)
 *     .route("http", 4, PortUnification.startsWithAny("GET ", "POST", "PUT ", "HEAD"), httpFactory)
 *     .fallback(commandFactory)       // anything else, or a client that waits for a greeting
 *     .build());
 * }</pre>
 *
 * <p>Routes are tried in order once as many bytes as each needs have arrived; the first whose test
 * passes gets the connection, with every byte received so far. When every route has said no, when
 * {@link Builder#sniffLimit} bytes arrived undecided, or when nothing decides within {@link
 * Builder#timeout}, the fallback gets it (a line client that waits for a greeting sends nothing).
 * Memory per undecided connection is bounded by the sniff limit plus one read.
 */
public final class PortUnification implements Factory<Protocol> {
  /** Default of {@link Builder#sniffLimit}. */
  public static final int DEFAULT_SNIFF_LIMIT = 64;

  /** Default of {@link Builder#timeout}, in milliseconds. */
  public static final long DEFAULT_TIMEOUT_MS = 2000;

  private final ReactorTime time;
  private final List<Route> routes;
  private final Factory<?> fallback;
  private final int sniffLimit;
  private final Duration timeout;

  private PortUnification(Builder builder) {
    this.time = builder.time;
    this.routes = List.copyOf(builder.routes);
    this.fallback = Objects.requireNonNull(builder.fallback, "a fallback factory is required");
    this.sniffLimit = builder.sniffLimit;
    this.timeout = builder.timeout;
  }

  /** Returns a builder; {@code time} runs the sniff timeout (pass the reactor). */
  public static Builder builder(ReactorTime time) {
    return new Builder(Objects.requireNonNull(time, "time"));
  }

  /** Returns a test that passes when the first bytes are one of {@code prefixes} (ASCII). */
  public static Predicate<ByteBuffer> startsWithAny(String... prefixes) {
    List<byte[]> options = new ArrayList<>();
    for (String prefix : prefixes) {
      options.add(prefix.getBytes(StandardCharsets.US_ASCII));
    }
    return head -> {
      outer:
      for (byte[] option : options) {
        if (head.remaining() < option.length) {
          continue;
        }
        for (int i = 0; i < option.length; i++) {
          if (head.get(head.position() + i) != option[i]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    };
  }

  @Override
  public Protocol buildProtocol(SocketAddress peer) {
    return new Sniffer(peer);
  }

  private record Route(
      String name, int prefixLength, Predicate<ByteBuffer> test, Factory<?> factory) {}

  /** Builds a {@link PortUnification}. */
  public static final class Builder {
    private final ReactorTime time;
    private final List<Route> routes = new ArrayList<>();
    private Factory<?> fallback;
    private int sniffLimit = DEFAULT_SNIFF_LIMIT;
    private Duration timeout = Duration.ofMillis(DEFAULT_TIMEOUT_MS);

    private Builder(ReactorTime time) {
      this.time = time;
    }

    /**
     * Adds a route: once {@code prefixLength} bytes have arrived, {@code test} sees them (a lent
     * view) and, if it passes, {@code factory} builds the connection's protocol.
     */
    public Builder route(
        String name, int prefixLength, Predicate<ByteBuffer> test, Factory<?> factory) {
      if (prefixLength < 1) {
        throw new IllegalArgumentException(
            "route " + name + ": prefixLength must be at least 1: " + prefixLength);
      }
      routes.add(
          new Route(
              Objects.requireNonNull(name, "name"),
              prefixLength,
              Objects.requireNonNull(test, "test"),
              Objects.requireNonNull(factory, "factory")));
      return this;
    }

    /** Sets the factory for connections no route takes. Required. */
    public Builder fallback(Factory<?> factory) {
      this.fallback = Objects.requireNonNull(factory, "fallback");
      return this;
    }

    /** Sets how many bytes to read at most before giving up on the routes. */
    public Builder sniffLimit(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("sniffLimit must be at least 1: " + bytes);
      }
      this.sniffLimit = bytes;
      return this;
    }

    /** Sets how long to wait for deciding bytes before handing the connection to the fallback. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Returns the factory. */
    public PortUnification build() {
      for (Route route : routes) {
        if (route.prefixLength > sniffLimit) {
          throw new IllegalArgumentException(
              "route "
                  + route.name
                  + " needs "
                  + route.prefixLength
                  + " bytes, more than the sniff limit of "
                  + sniffLimit);
        }
      }
      return new PortUnification(this);
    }
  }

  /** The protocol of an undecided connection: buffers, decides, hands over. */
  private final class Sniffer extends Protocol {
    private final SocketAddress peer;
    private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
    private final boolean[] ruledOut = new boolean[routes.size()];
    private DelayedCall deadline;
    private boolean decided;

    Sniffer(SocketAddress peer) {
      this.peer = peer;
    }

    @Override
    public void connectionMade() {
      deadline = time.callLater(timeout, () -> handOver(fallback));
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      if (decided) {
        return;
      }
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      buffered.writeBytes(bytes);
      decide();
    }

    private void decide() {
      byte[] head = buffered.toByteArray();
      boolean undecided = false;
      for (int i = 0; i < routes.size(); i++) {
        Route route = routes.get(i);
        if (ruledOut[i]) {
          continue;
        }
        if (head.length < route.prefixLength) {
          undecided = true;
          continue;
        }
        if (route.test.test(ByteBuffer.wrap(head, 0, route.prefixLength).asReadOnlyBuffer())) {
          handOver(route.factory);
          return;
        }
        ruledOut[i] = true;
      }
      if (!undecided || head.length >= sniffLimit) {
        handOver(fallback);
      }
    }

    private void handOver(Factory<?> factory) {
      if (decided) {
        return;
      }
      decided = true;
      if (deadline != null && deadline.active()) {
        deadline.cancel();
      }
      Protocol next = factory.buildProtocol(peer);
      if (next == null) {
        transport().loseConnection("no protocol accepted the connection");
        return;
      }
      transport().switchProtocol(next, ByteBuffer.wrap(buffered.toByteArray()));
    }

    @Override
    public void connectionLost(ConnectionClosed reason) {
      decided = true;
      if (deadline != null && deadline.active()) {
        deadline.cancel();
      }
    }
  }
}
