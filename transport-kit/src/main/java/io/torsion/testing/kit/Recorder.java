package io.torsion.testing.kit;

import io.torsion.ConnectionClosed;
import io.torsion.Protocol;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A protocol that records what happens to it, for kit tests: the bytes received, the threads its
 * callbacks ran on, and the reason the connection ended. Optionally echoes.
 */
public class Recorder extends Protocol {
  /** Completes when {@link #connectionMade()} runs. */
  public final CompletableFuture<Void> made = new CompletableFuture<>();

  /** Completes with the reason passed to {@link #connectionLost}. */
  public final CompletableFuture<ConnectionClosed> lost = new CompletableFuture<>();

  /** The threads every callback ran on, in order. */
  public final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** The number of bytes received so far. */
  public final AtomicLong received = new AtomicLong();

  private final boolean echo;

  /** Creates a recorder that echoes what it receives when {@code echo} is true. */
  public Recorder(boolean echo) {
    this.echo = echo;
  }

  @Override
  public void connectionMade() {
    threads.add(Thread.currentThread());
    made.complete(null);
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    threads.add(Thread.currentThread());
    received.addAndGet(data.remaining());
    if (echo) {
      transport().write(data);
    }
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    threads.add(Thread.currentThread());
    lost.complete(reason);
  }
}
