package io.torsion.transport.windows;

import io.torsion.spi.AcceptBackoff;
import io.torsion.spi.Acceptor;
import io.torsion.spi.ListenSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;

/**
 * A listening {@link AsynchronousServerSocketChannel}: one accept under way at a time; each
 * accepted connection goes to the reactor's loops in turn. A failed accept (above all EMFILE, out
 * of file descriptors) waits for the {@link AcceptBackoff} before the next, instead of retrying in
 * a busy loop.
 */
final class IocpListenSocket implements ListenSocket {
  private static final System.Logger LOG = System.getLogger("io.torsion.ListeningPort");

  private final IocpNetwork network;
  private final IocpLoop home;
  private final AsynchronousServerSocketChannel server;
  private final Acceptor acceptor;
  private final InetSocketAddress address;
  private final AcceptBackoff backoff = new AcceptBackoff();

  IocpListenSocket(
      IocpNetwork network, IocpLoop home, AsynchronousServerSocketChannel server, Acceptor acceptor)
      throws IOException {
    this.network = network;
    this.address = (InetSocketAddress) server.getLocalAddress();
    this.home = home;
    this.server = server;
    this.acceptor = acceptor;
    home.track(server);
  }

  /** Starts the accept loop; called on the home loop's thread. */
  void acceptNext() {
    if (!server.isOpen()) {
      return;
    }
    try {
      server.accept(
          null,
          new CompletionHandler<AsynchronousSocketChannel, Void>() {
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
    backoff.succeeded(address);
    IocpLoop target = (IocpLoop) acceptor.nextPoller();
    network.post(target, () -> network.startConnection(target, socket, acceptor.accepted(), false));
    acceptNext();
  }

  private void acceptFailed(Throwable error) {
    if (!server.isOpen() || error instanceof AsynchronousCloseException) {
      return; // stopped listening
    }
    acceptor.acceptFailed(error, true);
    home.timers.schedule(Duration.ofMillis(backoff.failed(address, error)), this::acceptNext);
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
