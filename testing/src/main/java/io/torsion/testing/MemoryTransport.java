package io.torsion.testing;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.spi.Availability;
import io.torsion.spi.Network;
import io.torsion.spi.Platform;
import io.torsion.spi.ReactorProvider;
import java.util.function.Consumer;

/**
 * The in-memory transport: a {@link Reactor} whose sockets are queues in this JVM, running the same
 * connection code as every real transport (pausing, producers, watermarks, reads that follow
 * writes, the output budget, close semantics). In-memory reactors listen and connect to each other
 * by port; nothing touches the network.
 *
 * <pre>{@code
 * Reactor reactor = Reactor.create(ReactorOptions.defaults(), new MemoryTransport());
 * }</pre>
 *
 * <p>It is not registered with {@link java.util.ServiceLoader}: it is never chosen, only given.
 * {@link StringTransport} and {@link ConnectedPair} are built on it.
 */
public final class MemoryTransport implements ReactorProvider {
  private final Consumer<MemoryNetwork> opened;

  /** Creates the provider. */
  public MemoryTransport() {
    this(network -> {});
  }

  private MemoryTransport(Consumer<MemoryNetwork> opened) {
    this.opened = opened;
  }

  @Override
  public String name() {
    return "memory";
  }

  /** Returns 0: never chosen automatically. */
  @Override
  public int priority(Platform platform) {
    return 0;
  }

  @Override
  public Availability availability() {
    return Availability.AVAILABLE;
  }

  @Override
  public Network open(ReactorOptions options) {
    MemoryNetwork network = new MemoryNetwork(options);
    opened.accept(network);
    return network;
  }

  /** Opens the network of a reactor this package drives by hand (one thread, no signals). */
  static Reactor manual(MemoryNetwork[] opened) {
    return Reactor.create(
        ReactorOptions.builder().threads(1).installSignalHandlers(false).build(),
        new MemoryTransport(network -> opened[0] = network));
  }
}
