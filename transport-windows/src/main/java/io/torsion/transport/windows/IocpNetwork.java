package io.torsion.transport.windows;

import io.torsion.CannotListenError;
import io.torsion.ConnectError;
import io.torsion.ConnectTimeoutError;
import io.torsion.ConnectionRefusedError;
import io.torsion.DelayedCall;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.spi.Acceptor;
import io.torsion.spi.DatagramEvents;
import io.torsion.spi.DatagramSocket;
import io.torsion.spi.ListenSocket;
import io.torsion.spi.Network;
import io.torsion.spi.Poller;
import io.torsion.spi.SocketEvents;
import io.torsion.spi.TimerQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The sockets of the {@code iocp} transport: the JDK's asynchronous channels (I/O completion ports
 * on Windows; the JDK's own epoll or kqueue port elsewhere) in one {@link
 * AsynchronousChannelGroup}, whose threads only hand each completion to the loop that owns the
 * connection. So every callback of a connection runs on its reactor thread, as on every other
 * transport.
 */
final class IocpNetwork implements Network {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  /** The accept backlog (the kernel caps it at its own maximum, e.g. net.core.somaxconn). */
  static final int BACKLOG = 4096;

  private final AsynchronousChannelGroup group;
  private final ReactorOptions options;
  private final List<String> details;
  private IocpLoop main; // the first loop: listening sockets live on it

  IocpNetwork(ReactorOptions options, List<String> details) {
    this.options = options;
    this.group = newGroup(options);
    this.details =
        Stream.concat(
                details.stream(),
                Stream.of(
                    "completion threads: "
                        + completionThreads(options)
                        + " (JDK asynchronous channel group)",
                    "udp: the JDK's DatagramChannel, read by a thread of its own per port",
                    "unix sockets: none (the JDK's asynchronous channels have none)",
                    "adopting sockets: none (an asynchronous channel cannot wrap a descriptor)"))
            .toList();
  }

  @Override
  public Poller newPoller(int index, TimerQueue timers) {
    IocpLoop loop = new IocpLoop(index == 0 ? group : null, timers);
    main = index == 0 ? loop : main;
    return loop;
  }

  @Override
  public List<String> details() {
    return details;
  }

  private static int completionThreads(ReactorOptions options) {
    return Math.max(1, Math.min(options.threads(), Runtime.getRuntime().availableProcessors()));
  }

  private static AsynchronousChannelGroup newGroup(ReactorOptions options) {
    AtomicInteger count = new AtomicInteger();
    try {
      return AsynchronousChannelGroup.withFixedThreadPool(
          completionThreads(options),
          task -> {
            Thread thread = new Thread(task, "torsion-iocp-completion-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the asynchronous channel group: " + e, e);
    }
  }

  /** Runs {@code task} on {@code loop}; completions arriving after the loop stopped are dropped. */
  void post(IocpLoop loop, Runnable task) {
    if (!loop.post(task)) {
      LOG.log(Level.DEBUG, "an I/O completion arrived after its loop stopped");
    }
  }

  /** Wraps a connected socket on {@code loop} and opens it; called on its thread. */
  void startConnection(
      IocpLoop loop, AsynchronousSocketChannel socket, SocketEvents events, boolean client) {
    IocpSocket connection;
    try {
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (options.socketSendBuffer() > 0) {
        socket.setOption(StandardSocketOptions.SO_SNDBUF, options.socketSendBuffer());
      }
      connection = new IocpSocket(this, socket, events, options);
    } catch (IOException e) {
      closeQuietly(socket);
      if (client) {
        events.connectFailed(new ConnectError("connection failed as it was set up: " + e, e));
      }
      return;
    }
    connection.start(loop);
  }

  @Override
  public DatagramSocket bindDatagram(
      Poller poller,
      InetSocketAddress address,
      String where,
      int maxDatagramSize,
      boolean reuseAddress,
      DatagramEvents events)
      throws CannotListenError {
    DatagramChannel channel = null;
    try {
      channel =
          DatagramChannel.open(
              address.getAddress() instanceof Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET);
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
      if (options.socketReceiveBuffer() > 0) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, options.socketReceiveBuffer());
      }
      if (options.socketSendBuffer() > 0) {
        channel.setOption(StandardSocketOptions.SO_SNDBUF, options.socketSendBuffer());
      }
      channel.bind(address);
      return new IocpDatagramSocket(this, (IocpLoop) poller, channel, maxDatagramSize, events);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new CannotListenError("cannot listen on UDP " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ListenSocket listen(
      InetSocketAddress address, String where, Acceptor acceptor, int backlog)
      throws CannotListenError {
    AsynchronousServerSocketChannel server = null;
    try {
      server = AsynchronousServerSocketChannel.open(group);
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (options.socketReceiveBuffer() > 0) {
        server.setOption(StandardSocketOptions.SO_RCVBUF, options.socketReceiveBuffer());
      }
      // the JDK's default of 50 overflows under connection bursts
      server.bind(address, backlog > 0 ? backlog : BACKLOG);
      IocpListenSocket port = new IocpListenSocket(this, main, server, acceptor);
      port.acceptNext();
      return port;
    } catch (IOException e) {
      closeQuietly(server);
      throw new CannotListenError("cannot listen on " + where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens a socket to connect with, its receive buffer set before it connects (so the window scales
   * to it).
   */
  private AsynchronousSocketChannel openClientSocket() throws IOException {
    AsynchronousSocketChannel socket = AsynchronousSocketChannel.open(group);
    try {
      if (options.socketReceiveBuffer() > 0) {
        socket.setOption(StandardSocketOptions.SO_RCVBUF, options.socketReceiveBuffer());
      }
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
    return socket;
  }

  @Override
  public void connect(
      Poller poller,
      InetSocketAddress address,
      String destination,
      Duration timeout,
      SocketEvents events) {
    IocpLoop loop = (IocpLoop) poller;
    AsynchronousSocketChannel socket;
    try {
      socket = openClientSocket();
    } catch (IOException e) {
      events.connectFailed(new ConnectError("could not connect to " + destination + ": " + e, e));
      return;
    }
    loop.track(socket);
    DelayedCall expiry =
        loop.timers.schedule(
            timeout,
            () -> {
              closeQuietly(socket);
              events.connectFailed(
                  new ConnectTimeoutError(
                      "connection to "
                          + destination
                          + " timed out after "
                          + timeout.toMillis()
                          + " ms",
                      null));
            });
    socket.connect(
        address,
        null,
        new CompletionHandler<Void, Void>() {
          @Override
          public void completed(Void unused, Void attachment) {
            post(
                loop,
                () -> {
                  if (!expiry.active()) {
                    return; // timed out first
                  }
                  expiry.cancel();
                  loop.untrack(socket);
                  startConnection(loop, socket, events, true);
                });
          }

          @Override
          public void failed(Throwable error, Void attachment) {
            post(
                loop,
                () -> {
                  if (!expiry.active()) {
                    return;
                  }
                  expiry.cancel();
                  loop.untrack(socket);
                  closeQuietly(socket);
                  events.connectFailed(connectError(error, destination));
                });
          }
        });
  }

  private static ConnectError connectError(Throwable error, String destination) {
    String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
    if (error instanceof ConnectException && message.contains("refused")) {
      return new ConnectionRefusedError("connection to " + destination + " refused", error);
    }
    return new ConnectError("could not connect to " + destination + ": " + error, error);
  }

  private static void closeQuietly(Channel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing; the original error is what matters
      }
    }
  }
}
