package io.torsion.transport.netty.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.torsion.CannotListenError;
import io.torsion.ReactorOptions;
import io.torsion.posix.LocalSocketName;
import io.torsion.spi.Acceptor;
import io.torsion.spi.DatagramEvents;
import io.torsion.spi.DatagramSocket;
import io.torsion.spi.ListenSocket;
import io.torsion.spi.Network;
import io.torsion.spi.Poller;
import io.torsion.spi.SocketEvents;
import io.torsion.spi.TimerQueue;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The sockets of every Netty-based transport: a {@link NettyLoop} per reactor thread, listening
 * channels (one per loop with {@code SO_REUSEPORT} where the flavour has it and there are several
 * threads, else one whose acceptor spreads connections round-robin), and client connections started
 * with a {@link Bootstrap} on the caller's loop.
 */
public final class NettyNetwork implements Network {
  private final Supplier<IoHandlerFactory> ioHandlerFactory;
  private final Class<? extends ServerChannel> serverChannel;
  private final Class<? extends SocketChannel> socketChannel;
  private final ChannelOption<Boolean> reusePort;
  private final Class<? extends DatagramChannel> datagramChannel; // null: no datagrams
  private final Class<? extends ServerChannel> domainServerChannel; // null: no UNIX sockets
  private final Class<? extends Channel> domainSocketChannel;
  private final ReactorOptions options;
  private final List<String> details;
  private final List<NettyLoop> loops = new ArrayList<>();

  // Immutable, so one of each serves every connection (Netty makes a new allocator per channel).
  private final WriteBufferWaterMark waterMark;

  /**
   * Accepts per readiness event of a listening channel: as many as a storm of reconnecting clients
   * has under way (Netty accepts 16; Twisted grows its count from 100), so that a storm is accepted
   * in batches rather than 16 at a time between the new connections' first reads.
   */
  private static final int ACCEPTS_PER_EVENT = 256;

  private static final RecvByteBufAllocator ACCEPTS =
      new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(ACCEPTS_PER_EVENT);

  /**
   * Creates the network of one Netty I/O flavour: the handler factory and the channel classes that
   * fit it. Transport modules call this through {@code NettyTransport.open}.
   */
  public NettyNetwork(
      Supplier<IoHandlerFactory> ioHandlerFactory,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      ChannelOption<Boolean> reusePort,
      Class<? extends DatagramChannel> datagramChannel,
      Class<? extends ServerChannel> domainServerChannel,
      Class<? extends Channel> domainSocketChannel,
      ReactorOptions options,
      List<String> details) {
    this.datagramChannel = datagramChannel;
    this.domainServerChannel = domainServerChannel;
    this.domainSocketChannel = domainSocketChannel;
    this.ioHandlerFactory = Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
    this.serverChannel = Objects.requireNonNull(serverChannel, "serverChannel");
    this.socketChannel = Objects.requireNonNull(socketChannel, "socketChannel");
    this.reusePort = reusePort;
    this.options = Objects.requireNonNull(options, "options");
    List<String> all = new ArrayList<>(details);
    all.addAll(capabilities());
    this.details =
        options.threads() == 1
            ? List.copyOf(all)
            : Stream.concat(
                    all.stream(),
                    Stream.of(
                        "listening: "
                            + (reusePort != null
                                ? "SO_REUSEPORT, one socket per thread"
                                : "one acceptor, round-robin")))
                .toList();
    this.waterMark =
        new WriteBufferWaterMark(
            options.writeBufferLowWatermark(), options.writeBufferHighWatermark());
  }

  /** What this flavour has beyond TCP, for the report: UDP, UNIX sockets, adopting sockets. */
  private List<String> capabilities() {
    String adopting;
    if (hasConstructor(serverChannel, int.class)) {
      adopting = "any file descriptor (systemd, inetd)";
    } else if (hasConstructor(serverChannel, java.nio.channels.ServerSocketChannel.class)) {
      adopting = "fd 0 only (System.inheritedChannel, inetd-style)";
    } else {
      adopting = "none (" + serverChannel.getSimpleName() + " cannot wrap a file descriptor)";
    }
    boolean credentials =
        domainSocketChannel != null
            && !domainSocketChannel.getPackageName().equals("io.netty.channel.socket.nio");
    return List.of(
        "udp: " + (datagramChannel == null ? "none" : datagramChannel.getSimpleName()),
        "unix sockets: "
            + (domainServerChannel == null
                ? "none"
                : domainSocketChannel.getSimpleName()
                    + (credentials ? ", with peer credentials" : ", no peer credentials")),
        "adopting sockets: " + adopting);
  }

  private static boolean hasConstructor(Class<?> type, Class<?> parameter) {
    try {
      type.getConstructor(parameter);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Override
  public Poller newPoller(int index, TimerQueue timers) {
    NettyLoop loop = new NettyLoop(ioHandlerFactory.get());
    loops.add(loop);
    return loop;
  }

  @Override
  public List<String> details() {
    return details;
  }

  /**
   * Sets what every connection's channel needs: half-closure, the send buffer, the watermarks, the
   * read sizes. (The receive buffer is set before connecting, or inherited from the listener.)
   */
  void configure(ChannelConfig config) {
    config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    if (options.socketSendBuffer() > 0) {
      config.setOption(ChannelOption.SO_SNDBUF, options.socketSendBuffer());
    }
    config.setWriteBufferWaterMark(waterMark);
    /*
     * Reads are 64 KiB (Netty's adaptive allocator starts at 2 KiB and adapts, which halved
     * streaming throughput: 16 KiB reads gave 0.55x of 64 KiB reads, see benchmarks/README.md),
     * shrinking only when a turn has more ready connections than 8 MiB of reads serve at that size.
     * One small object per connection, its own handle (FairReadSizes); the buffer is Netty's for the
     * read only, returned once written or released.
     */
    config.setRecvByteBufAllocator(new FairReadSizes());
  }

  // ---------------------------------------------------------------- listen

  @Override
  public ListenSocket listen(
      InetSocketAddress address, String where, Acceptor acceptor, int backlog)
      throws CannotListenError {
    boolean perLoop = reusePort != null && loops.size() > 1;
    List<Channel> channels = new ArrayList<>();
    try {
      channels.add(bindOn(loops.get(0), address, acceptor, perLoop, where, backlog));
      InetSocketAddress bound = (InetSocketAddress) channels.get(0).localAddress();
      for (int i = 1; perLoop && i < loops.size(); i++) {
        NettyLoop loop = loops.get(i);
        CompletableFuture<Channel> other = new CompletableFuture<>();
        loop.execute(
            () -> {
              try {
                other.complete(bindOn(loop, bound, acceptor, true, where, backlog));
              } catch (Throwable e) {
                other.completeExceptionally(e);
              }
            });
        channels.add(joinWorker(other, where));
      }
    } catch (CannotListenError | RuntimeException e) {
      for (Channel channel : channels) {
        channel.close();
      }
      throw e;
    }
    return new NettyListeningPort(channels);
  }

  /** Registers and binds one listening channel on {@code loop}, inline: called on its thread. */
  private Channel bindOn(
      NettyLoop loop,
      InetSocketAddress address,
      Acceptor acceptor,
      boolean shared,
      String where,
      int backlog)
      throws CannotListenError {
    Channel server = newServerChannel();
    server.config().setOption(ChannelOption.SO_REUSEADDR, true);
    if (backlog > 0) {
      server.config().setOption(ChannelOption.SO_BACKLOG, backlog);
    }
    server.config().setRecvByteBufAllocator(ACCEPTS);
    if (options.socketReceiveBuffer() > 0) {
      server
          .config()
          .setOption(
              ChannelOption.SO_RCVBUF,
              options.socketReceiveBuffer()); // accepted sockets inherit it
    }
    if (shared) {
      server.config().setOption(reusePort, true);
    }
    server.pipeline().addLast(new AcceptHandler(this, loop.io, acceptor, !shared));
    ChannelFuture bound = registerInline(server, loop.io, address, "listenTCP");
    if (!bound.isSuccess()) {
      Throwable cause = incompatible(bound.cause());
      throw new CannotListenError("cannot listen on " + where + ": " + describe(cause), cause);
    }
    return server;
  }

  private static Channel joinWorker(CompletableFuture<Channel> future, String where)
      throws CannotListenError {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CannotListenError error) {
        throw error;
      }
      throw new CannotListenError("cannot listen on " + where + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw new CannotListenError(
          "cannot listen on " + where + ": a worker thread did not bind in time", e);
    }
  }

  /**
   * Registers {@code channel} on {@code loop} and, given an address, binds it. Done directly (not
   * through a bootstrap, which binds from a queued task), both complete inline on the loop's
   * thread, so the socket is bound when this returns. A failure closes the channel; the future
   * returned says what failed.
   */
  private static ChannelFuture registerInline(
      Channel channel, IoEventLoop loop, SocketAddress address, String what) {
    ChannelPromise registered = channel.newPromise();
    channel.unsafe().register(loop, registered);
    ChannelFuture done =
        address != null && registered.isSuccess() ? channel.bind(address) : registered;
    if (!done.isDone()) {
      throw new IllegalStateException(
          what + " did not complete inline on " + channel.getClass().getSimpleName());
    }
    if (!done.isSuccess()) {
      channel.unsafe().closeForcibly();
    }
    return done;
  }

  private Channel newServerChannel() {
    try {
      return serverChannel.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + serverChannel.getName(), e);
    }
  }

  // ---------------------------------------------------------------- UNIX domain sockets

  @Override
  public ListenSocket listenUnix(Path path, Acceptor acceptor) throws CannotListenError {
    if (domainServerChannel == null) {
      return Network.super.listenUnix(path, acceptor);
    }
    ServerChannel server;
    try {
      server = domainServerChannel.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + domainServerChannel.getName(), e);
    }
    server.config().setRecvByteBufAllocator(ACCEPTS);
    server.pipeline().addLast(new AcceptHandler(this, loops.get(0).io, acceptor, true));
    ChannelFuture bound =
        registerInline(
            server,
            loops.get(0).io,
            UnixSockets.nettyAddress(path, domainServerChannel),
            "listenUNIX");
    if (!bound.isSuccess()) {
      throw new CannotListenError(
          "cannot listen on UNIX socket " + path + ": " + describe(bound.cause()), bound.cause());
    }
    return new NettyListeningPort(List.of(server));
  }

  // ---------------------------------------------------------------- adopted sockets

  @Override
  public ListenSocket adopt(int fileDescriptor, boolean unix, Acceptor acceptor)
      throws CannotListenError {
    Class<? extends ServerChannel> type = unix ? domainServerChannel : serverChannel;
    String what = "cannot adopt file descriptor " + fileDescriptor + ": ";
    if (type == null) {
      throw new CannotListenError(what + "this transport has no UNIX domain sockets", null);
    }
    ServerChannel server = wrap(type, fileDescriptor, what);
    server.config().setRecvByteBufAllocator(ACCEPTS);
    server.pipeline().addLast(new AcceptHandler(this, loops.get(0).io, acceptor, true));
    ChannelFuture registered = registerInline(server, loops.get(0).io, null, "adopting");
    if (!registered.isSuccess() || !server.isActive()) {
      server.unsafe().closeForcibly();
      throw new CannotListenError(
          what
              + (registered.isSuccess()
                  ? "it is not a listening socket"
                  : describe(registered.cause())),
          registered.cause());
    }
    SocketAddress address = UnixSockets.jdkAddress(server.localAddress());
    if (address == null && unix) { // a domain channel made from a descriptor knows no path
      try {
        address = UnixDomainSocketAddress.of(LocalSocketName.of(fileDescriptor));
      } catch (IOException e) {
        server.close();
        throw new CannotListenError(what + e.getMessage(), e);
      }
    }
    return new NettyListeningPort(List.of(server), address);
  }

  /**
   * Wraps {@code fileDescriptor} in a channel of {@code type}: the native flavours take any
   * descriptor; NIO takes only the one the JDK hands over, {@link System#inheritedChannel()}.
   */
  private static ServerChannel wrap(
      Class<? extends ServerChannel> type, int fileDescriptor, String what)
      throws CannotListenError {
    try {
      try { // a domain socket channel takes whether the descriptor is active (listening) already
        return type.getConstructor(int.class, boolean.class).newInstance(fileDescriptor, true);
      } catch (NoSuchMethodException noFlag) {
        return type.getConstructor(int.class).newInstance(fileDescriptor);
      }
    } catch (NoSuchMethodException noDescriptors) {
      // NIO: the JDK wraps fd 0 only
    } catch (ReflectiveOperationException e) {
      throw new CannotListenError(what + describe(e.getCause() == null ? e : e.getCause()), e);
    }
    Constructor<? extends ServerChannel> ofJdkChannel;
    try {
      ofJdkChannel = type.getConstructor(java.nio.channels.ServerSocketChannel.class);
    } catch (NoSuchMethodException e) {
      throw new CannotListenError(
          what + type.getSimpleName() + " cannot wrap a file descriptor", null);
    }
    if (fileDescriptor != 0) {
      throw new CannotListenError(
          what
              + "this transport adopts only fd 0, the socket the JDK hands over"
              + " (System.inheritedChannel, inetd-style); epoll and kqueue adopt any",
          null);
    }
    try {
      if (!(System.inheritedChannel() instanceof java.nio.channels.ServerSocketChannel inherited)) {
        throw new CannotListenError(what + "fd 0 is not a listening socket", null);
      }
      inherited.configureBlocking(false);
      return ofJdkChannel.newInstance(inherited);
    } catch (IOException | ReflectiveOperationException e) {
      throw new CannotListenError(what + e, e);
    }
  }

  @Override
  public void connectUnix(Poller poller, Path path, Duration timeout, SocketEvents events) {
    if (domainSocketChannel == null) {
      Network.super.connectUnix(poller, path, timeout, events);
      return;
    }
    new Bootstrap()
        .group(((NettyLoop) poller).io)
        .channel(domainSocketChannel)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel channel) {
                configure(channel.config());
                channel.pipeline().addLast(new NettySocket(events));
              }
            })
        .connect(UnixSockets.nettyAddress(path, domainSocketChannel))
        .addListener(
            (ChannelFuture future) -> {
              if (!future.isSuccess()) {
                events.connectFailed(ConnectErrors.map(future.cause(), path.toString(), timeout));
              }
            });
  }

  // ---------------------------------------------------------------- datagrams

  @Override
  public DatagramSocket bindDatagram(
      Poller poller,
      InetSocketAddress address,
      String where,
      int maxDatagramSize,
      boolean reuseAddress,
      DatagramEvents events)
      throws CannotListenError {
    if (datagramChannel == null) {
      return Network.super.bindDatagram(
          poller, address, where, maxDatagramSize, reuseAddress, events);
    }
    DatagramChannel channel = newDatagramChannel(address);
    channel.config().setOption(ChannelOption.SO_REUSEADDR, reuseAddress);
    channel.config().setBroadcast(false); // off until asked, on every flavour
    // One byte more than the limit, so that a larger datagram shows as one (and is dropped).
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(maxDatagramSize + 1));
    if (options.socketReceiveBuffer() > 0) {
      channel.config().setOption(ChannelOption.SO_RCVBUF, options.socketReceiveBuffer());
    }
    if (options.socketSendBuffer() > 0) {
      channel.config().setOption(ChannelOption.SO_SNDBUF, options.socketSendBuffer());
    }
    channel.pipeline().addLast(new NettyDatagramSocket(channel, maxDatagramSize, events));
    ChannelFuture bound = registerInline(channel, ((NettyLoop) poller).io, address, "listenUDP");
    if (!bound.isSuccess()) {
      Throwable cause = incompatible(bound.cause());
      throw new CannotListenError("cannot listen on UDP " + where + ": " + describe(cause), cause);
    }
    return (DatagramSocket) channel.pipeline().last();
  }

  /**
   * A channel of the bound address's family: an IPv4 socket for an IPv4 address (0.0.0.0 included,
   * so that IPv4 multicast options apply as they are), an IPv6 one for IPv6 ({@code ::} takes both
   * where the system lets IPv6 sockets receive IPv4).
   */
  private DatagramChannel newDatagramChannel(InetSocketAddress address) {
    try {
      SocketProtocolFamily family =
          address.getAddress() instanceof Inet6Address
              ? SocketProtocolFamily.INET6
              : SocketProtocolFamily.INET;
      return datagramChannel.getConstructor(SocketProtocolFamily.class).newInstance(family);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + datagramChannel.getName(), e);
    }
  }

  // ---------------------------------------------------------------- connect

  @Override
  public void connect(
      Poller poller,
      InetSocketAddress address,
      String destination,
      Duration timeout,
      SocketEvents events) {
    Bootstrap bootstrap =
        new Bootstrap()
            .group(((NettyLoop) poller).io)
            .channel(socketChannel)
            .option(
                ChannelOption.SO_RCVBUF,
                options.socketReceiveBuffer() > 0 ? options.socketReceiveBuffer() : null)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    configure(channel.config());
                    channel.pipeline().addLast(new NettySocket(events));
                  }
                });
    bootstrap
        .connect(address)
        .addListener(
            (ChannelFuture future) -> {
              if (!future.isSuccess()) {
                events.connectFailed(
                    ConnectErrors.map(incompatible(future.cause()), destination, timeout));
              }
            });
  }

  // ---------------------------------------------------------------- helpers

  private Throwable incompatible(Throwable cause) {
    if (cause instanceof IllegalStateException
        && String.valueOf(cause.getMessage()).contains("incompatible event loop")) {
      return new IllegalStateException(
          "this transport pairs channel classes with an I/O handler they do not fit: "
              + serverChannel.getSimpleName()
              + "/"
              + socketChannel.getSimpleName(),
          cause);
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
