package io.torsion.transport.windows;

import io.torsion.spi.ListenSocket;
import io.torsion.spi.SocketEvents;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A listening {@link AsynchronousServerSocketChannel}: one accept under way at a time; each
 * accepted connection goes to the reactor's loops in turn. When accepting fails (above all with
 * EMFILE, out of file descriptors) it waits with a back-off doubling from {@value #FIRST_BACKOFF_MS}
 * ms to {@value #MAX_BACKOFF_MS} ms before the next accept, logging one warning per burst, instead
 * of retrying in a busy loop.
 */
final class IocpListenSocket implements ListenSocket {
  static final long FIRST_BACKOFF_MS = 10;
  static final long MAX_BACKOFF_MS = 1000;
  private static final System.Logger LOG = System.getLogger("io.torsion.ListeningPort");

  private final IocpNetwork network;
  private final IocpLoop home;
  private final AsynchronousServerSocketChannel server;
  private final Supplier<SocketEvents> accepted;
  private final InetSocketAddress address;
  private int failures;
  private long burstStartNanos;
  private long backoffMs;

  IocpListenSocket(IocpNetwork network, IocpLoop home, AsynchronousServerSocketChannel server,
      Supplier<SocketEvents> accepted) throws IOException {
    this.network = network;
    this.address = (InetSocketAddress) server.getLocalAddress();
    this.home = home;
    this.server = server;
    this.accepted = accepted;
    home.track(server);
  }

  /** Starts the accept loop; called on the home loop's thread. */
  void acceptNext() {
    if (!server.isOpen()) {
      return;
    }
    try {
      server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
        @Override
        public void completed(AsynchronousSocketChannel socket, Void unused) {
          network.post(home, () -> accepted(socket));
        }

        @Override
        public void failed(Throwable error, Void unused) {
          network.post(home, () -> acceptFailed(error));
        }
      });
    } catch (RuntimeException e) {
      acceptFailed(e);
    }
  }

  private void accepted(AsynchronousSocketChannel socket) {
    if (failures > 0) {
      LOG.log(Level.INFO, "accepting again on {0} after {1} failed attempt(s) over {2} ms",
          address, failures, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstStartNanos));
      failures = 0;
    }
    IocpLoop target = network.nextLoopForAccept();
    network.post(target, () -> network.startConnection(target, socket, accepted.get(), false));
    acceptNext();
  }

  private void acceptFailed(Throwable error) {
    if (!server.isOpen() || error instanceof AsynchronousCloseException) {
      return; // stopped listening
    }
    if (failures++ == 0) {
      burstStartNanos = System.nanoTime();
      backoffMs = FIRST_BACKOFF_MS;
      LOG.log(Level.WARNING, "accept failed on {0}: {1}; pausing accepts and retrying with back-off"
          + " (up to every {2} ms). Existing connections are unaffected.",
          address, error.getMessage() == null ? error.toString() : error.getMessage(), MAX_BACKOFF_MS);
    } else {
      LOG.log(Level.DEBUG, "accept failed again on {0} (attempt {1}): {2}", address, failures, error);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    home.timers().schedule(Duration.ofMillis(backoffMs), this::acceptNext);
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close(Runnable whenClosed) {
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing {0}: {1}", address, e);
    }
    home.untrack(server);
    whenClosed.run();
  }
}
