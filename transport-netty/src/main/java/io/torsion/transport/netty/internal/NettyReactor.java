package io.torsion.transport.netty.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.torsion.CannotListenError;
import io.torsion.ConnectionAborted;
import io.torsion.DNSLookupError;
import io.torsion.DelayedCall;
import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The reactor of every Netty-based transport: one {@link NettyLoop} per thread. Loop 0 is driven
 * by the thread that owns the reactor: the first thread that uses it (to set it up or to call
 * {@code run()}), for life, as in Twisted where the main thread listens and then runs the reactor.
 * With {@code threads(n)}, loops 1..n-1 are driven by daemon worker threads started with the
 * reactor; each connection is pinned to one loop.
 */
public final class NettyReactor implements Reactor {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  private static final Executor RESOLVER = resolverPool();

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final String name;
  private final Class<? extends ServerChannel> serverChannel;
  private final Class<? extends SocketChannel> socketChannel;
  private final ChannelOption<Boolean> reusePort;
  private final ReactorOptions options;
  private final ReactorReport report;
  private final NettyLoop[] loops;
  private final List<Thread> workers = new ArrayList<>();
  private final Object ownership = new Object();
  private final AtomicInteger liveConnections = new AtomicInteger();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final List<NettyListeningPort> ports = new CopyOnWriteArrayList<>();
  private final Map<Factory<?>, Integer> factoryUsers = new IdentityHashMap<>();
  private final Map<SystemEvent, Map<TriggerPhase, List<Supplier<? extends Deferred<?>>>>> triggers =
      new EnumMap<>(SystemEvent.class);

  private volatile State state = State.NEW;
  private volatile boolean stopRequested;
  private volatile boolean workersStop;

  /**
   * Creates a reactor on one Netty I/O flavour: the handler factory and the channel classes that
   * fit it. Transport modules call this through {@code NettyTransport.newReactor}.
   */
  public NettyReactor(
      String name,
      Supplier<IoHandlerFactory> ioHandlerFactory,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      ChannelOption<Boolean> reusePort,
      ReactorOptions options,
      ReactorReport report) {
    this.name = Objects.requireNonNull(name, "name");
    this.serverChannel = Objects.requireNonNull(serverChannel, "serverChannel");
    this.socketChannel = Objects.requireNonNull(socketChannel, "socketChannel");
    this.reusePort = reusePort;
    this.options = Objects.requireNonNull(options, "options");
    this.loops = new NettyLoop[options.threads()];
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new NettyLoop(i, ioHandlerFactory.get());
    }
    String threads = loops.length == 1
        ? "threads: 1 (the thread that calls run())"
        : "threads: " + loops.length + " (the thread that calls run() and " + (loops.length - 1)
            + " workers); listening: " + (reusePort != null ? "SO_REUSEPORT, one socket per thread" : "one acceptor, round-robin");
    this.report = report.withDetail(threads);
    for (int i = 1; i < loops.length; i++) {
      NettyLoop loop = loops[i];
      Thread worker = new Thread(() -> work(loop), "torsion-" + name + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    CompletableFuture<?>[] started = new CompletableFuture<?>[workers.size()];
    for (int i = 0; i < workers.size(); i++) {
      NettyLoop loop = loops[i + 1];
      CompletableFuture<Void> owned = new CompletableFuture<>();
      started[i] = owned;
      Thread worker = workers.get(i);
      worker.start();
      loop.execute(() -> owned.complete(null));
    }
    CompletableFuture.allOf(started).join();
  }

  private NettyLoop main() {
    return loops[0];
  }

  // ---------------------------------------------------------------- threads

  @Override
  public boolean isReactorThread() {
    return current() != null;
  }

  /** Returns the loop the calling thread drives, or null. */
  NettyLoop current() {
    Thread thread = Thread.currentThread();
    for (NettyLoop loop : loops) {
      if (loop.owner() == thread) {
        return loop;
      }
    }
    return null;
  }

  /**
   * Returns the calling thread's loop; before {@code run()}, the first caller becomes the owner
   * of loop 0. Throws, naming the method, on any other thread.
   */
  NettyLoop claimThread(String method) {
    NettyLoop loop = current();
    if (loop != null) {
      return loop;
    }
    synchronized (ownership) {
      if (main().owner() == null && state == State.NEW) {
        main().own();
        main().io.runNow(-1); // initialises the I/O handler on its thread; runs no queued task yet
        return main();
      }
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException(method + ": the reactor has stopped; a reactor runs once");
    }
    throw new IllegalStateException(
        method + " must be called on a reactor thread ('" + main().owner().getName() + "'"
            + (loops.length > 1 ? " or a worker" : "") + "), not on '" + Thread.currentThread().getName()
            + "'; hop with Reactor.callFromThread");
  }

  private NettyLoop claimMainThread(String method) {
    NettyLoop loop = claimThread(method);
    if (loop != main()) {
      throw new IllegalStateException(method + " must be called on the main reactor thread '"
          + main().owner().getName() + "', not on worker '" + Thread.currentThread().getName()
          + "'; hop with Reactor.callFromThread");
    }
    return loop;
  }

  @Override
  public void callFromThread(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state == State.STOPPED) {
      throw new IllegalStateException("callFromThread: the reactor has stopped; the task cannot run");
    }
    main().execute(() -> runContained(task, "a callFromThread task"));
  }

  private void work(NettyLoop loop) {
    loop.own();
    try {
      while (!workersStop) {
        loop.turn(Long.MAX_VALUE);
      }
    } finally {
      loop.destroy();
    }
  }

  // ---------------------------------------------------------------- time

  @Override
  public DelayedCall callLater(Duration delay, Runnable task) {
    return claimThread("callLater").timers.schedule(delay, task);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  // ---------------------------------------------------------------- run and stop

  @Override
  public void run() {
    Thread current = Thread.currentThread();
    synchronized (ownership) {
      if (state != State.NEW) {
        throw new IllegalStateException(
            "run(): the reactor " + (state == State.STOPPED ? "has stopped; a reactor runs once" : "is already running"));
      }
      if (main().owner() == null) {
        main().own();
      } else if (main().owner() != current) {
        throw new IllegalStateException(
            "run() must be called on thread '" + main().owner().getName() + "', which set this reactor up;"
                + " set it up from callFromThread to run it on another thread");
      }
      state = State.RUNNING;
    }
    LOG.log(Level.DEBUG, "reactor running on {0}", current.getName());
    try {
      fireEvent(SystemEvent.STARTUP, Long.MAX_VALUE);
      while (!stopRequested) {
        main().turn(Long.MAX_VALUE);
      }
      state = State.STOPPING;
      fireEvent(SystemEvent.SHUTDOWN, System.nanoTime() + options.shutdownTimeout().toNanos());
      stopWorkers();
      main().destroy();
    } finally {
      state = State.STOPPED;
    }
  }

  @Override
  public void stop() {
    stopRequested = true;
    synchronized (ownership) {
      if (state == State.NEW && (main().owner() == null || main().owner() == Thread.currentThread())) {
        // Never run: release what creating and setting up took.
        if (main().owner() == null) {
          main().own();
        }
        state = State.STOPPING;
        stopWorkers();
        main().destroy();
        state = State.STOPPED;
        return;
      }
    }
    main().wakeup();
  }

  private void stopWorkers() {
    workersStop = true;
    for (int i = 1; i < loops.length; i++) {
      loops[i].wakeup();
    }
    for (Thread worker : workers) {
      try {
        worker.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (worker.isAlive()) {
        LOG.log(Level.WARNING, "worker {0} did not stop within 10 s", worker.getName());
      }
    }
  }

  /** Runs the triggers of {@code event}, phase by phase, with the built-in shutdown work. */
  private void fireEvent(SystemEvent event, long deadline) {
    for (TriggerPhase phase : TriggerPhase.values()) {
      AtomicInteger pending = new AtomicInteger();
      for (Supplier<? extends Deferred<?>> trigger : triggersOf(event, phase)) {
        Deferred<?> result = callTrigger(trigger, event, phase);
        if (result != null) {
          pending.incrementAndGet();
          result.addBoth((value, failure) -> {
            pending.decrementAndGet();
            if (failure != null) {
              LOG.log(Level.WARNING, event + " trigger failed: " + failure.message(), failure.value());
            }
            return null;
          });
        }
      }
      if (event == SystemEvent.SHUTDOWN && phase == TriggerPhase.DURING) {
        closeEverything(deadline);
      }
      main().driveUntil(() -> pending.get() == 0 || (event == SystemEvent.STARTUP && stopRequested), deadline);
      if (pending.get() > 0 && event == SystemEvent.SHUTDOWN) {
        LOG.log(Level.WARNING, "{0} {1} trigger(s) of phase {2} did not finish within the shutdown timeout {3}",
            pending.get(), event, phase, options.shutdownTimeout());
      }
    }
  }

  private Deferred<?> callTrigger(Supplier<? extends Deferred<?>> trigger, SystemEvent event, TriggerPhase phase) {
    try {
      return trigger.get();
    } catch (Throwable error) {
      Fatal.rethrowIfFatal(error);
      LOG.log(Level.WARNING, phase + " " + event + " trigger threw; going on", error);
      return null;
    }
  }

  private void closeEverything(long deadline) {
    for (NettyListeningPort port : ports) {
      port.stopListening();
    }
    for (NettyLoop loop : loops) {
      onLoop(loop, () -> {
        for (NettyConnection connection : new ArrayList<>(loop.connections)) {
          connection.closeForShutdown();
        }
      });
    }
    main().driveUntil(() -> liveConnections.get() == 0, deadline);
    if (liveConnections.get() > 0) {
      LOG.log(Level.WARNING, "{0} connection(s) did not flush within the shutdown timeout {1}; aborting them",
          liveConnections.get(), options.shutdownTimeout());
      for (NettyLoop loop : loops) {
        onLoop(loop, () -> {
          for (NettyConnection connection : new ArrayList<>(loop.connections)) {
            connection.abort(new ConnectionAborted("the reactor shut down before the connection flushed", null));
          }
        });
      }
      main().driveUntil(() -> liveConnections.get() == 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
  }

  /** Runs {@code task} on {@code loop}: now if this is its thread, else queued. */
  private static void onLoop(NettyLoop loop, Runnable task) {
    if (loop.inLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  @Override
  public void addSystemEventTrigger(
      TriggerPhase phase, SystemEvent event, Supplier<? extends Deferred<?>> trigger) {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(trigger, "trigger");
    claimMainThread("addSystemEventTrigger");
    triggers.computeIfAbsent(event, e -> new EnumMap<>(TriggerPhase.class))
        .computeIfAbsent(phase, p -> new ArrayList<>())
        .add(trigger);
  }

  private List<Supplier<? extends Deferred<?>>> triggersOf(SystemEvent event, TriggerPhase phase) {
    Map<TriggerPhase, List<Supplier<? extends Deferred<?>>>> byPhase = triggers.get(event);
    List<Supplier<? extends Deferred<?>>> list = byPhase == null ? null : byPhase.get(phase);
    return list == null ? List.of() : new ArrayList<>(list);
  }

  // ---------------------------------------------------------------- listen

  @Override
  public ListeningPort listenTCP(int port, String host, Factory<?> factory) throws CannotListenError {
    checkPort(port);
    Objects.requireNonNull(factory, "factory");
    claimMainThread("listenTCP");
    requireNotStopping("listenTCP");
    String where = (host == null ? "*" : host) + ":" + port;
    InetSocketAddress address;
    try {
      address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new CannotListenError("cannot listen on " + where + ": unknown host " + host, e);
    }
    boolean perLoop = reusePort != null && loops.length > 1;
    List<Channel> channels = new ArrayList<>();
    try {
      channels.add(bindOn(main(), address, factory, perLoop, where));
      InetSocketAddress bound = (InetSocketAddress) channels.get(0).localAddress();
      for (int i = 1; perLoop && i < loops.length; i++) {
        NettyLoop loop = loops[i];
        CompletableFuture<Channel> other = new CompletableFuture<>();
        loop.execute(() -> {
          try {
            other.complete(bindOn(loop, bound, factory, true, where));
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
    acquireFactory(factory);
    NettyListeningPort listening = new NettyListeningPort(this, channels, factory);
    ports.add(listening);
    return listening;
  }

  /** Registers and binds one listening channel on {@code loop}, inline: called on its thread. */
  private Channel bindOn(NettyLoop loop, InetSocketAddress address, Factory<?> factory, boolean shared, String where)
      throws CannotListenError {
    Channel server = newServerChannel();
    server.config().setOption(ChannelOption.SO_REUSEADDR, true);
    if (shared) {
      server.config().setOption(reusePort, true);
    }
    server.pipeline().addLast(new Acceptor(this, loop.io, factory, shared ? null : this::nextLoopForAccept));
    // Registering and binding directly (not through ServerBootstrap, which binds from a queued
    // task) completes both inline on the loop's thread, so the port is bound when we return.
    ChannelPromise registered = server.newPromise();
    server.unsafe().register(loop.io, registered);
    ChannelFuture bound = registered.isSuccess() ? server.bind(address) : registered;
    if (!bound.isDone()) {
      throw new IllegalStateException("listenTCP did not complete on transport " + name);
    }
    if (!bound.isSuccess()) {
      server.unsafe().closeForcibly();
      Throwable cause = incompatible(bound.cause());
      throw new CannotListenError("cannot listen on " + where + ": " + describe(cause), cause);
    }
    return server;
  }

  private static Channel joinWorker(CompletableFuture<Channel> future, String where) throws CannotListenError {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof CannotListenError error) {
        throw error;
      }
      throw new CannotListenError("cannot listen on " + where + ": " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
      throw new CannotListenError("cannot listen on " + where + ": a worker thread did not bind in time", e);
    }
  }

  /** The loop the next accepted connection goes to, when one acceptor serves every loop. */
  private io.netty.channel.IoEventLoop nextLoopForAccept() {
    return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)].io;
  }

  private Channel newServerChannel() {
    try {
      return serverChannel.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("transport '" + name + "': cannot create " + serverChannel.getName(), e);
    }
  }

  void portStopped(NettyListeningPort port, Factory<?> factory) {
    if (ports.remove(port)) {
      releaseFactory(factory);
    }
  }

  // ---------------------------------------------------------------- connect

  @Override
  public <P extends Protocol> Deferred<P> connectTCP(String host, int port, Factory<P> factory) {
    return connectTCP(host, port, factory, options.connectTimeout());
  }

  @Override
  public <P extends Protocol> Deferred<P> connectTCP(
      String host, int port, Factory<P> factory, Duration timeout) {
    Objects.requireNonNull(host, "host");
    checkPort(port);
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
    }
    // The connection lives on the caller's loop, so that the Deferred fires on the caller's thread.
    NettyLoop loop = claimThread("connectTCP");
    requireNotStopping("connectTCP");
    Deferred<P> connected = new Deferred<>();
    String destination = host + ":" + port;
    acquireFactory(factory);
    if (IP_LITERAL.matcher(host).matches()) {
      InetAddress address;
      try {
        address = InetAddress.getByName(host); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        failConnect(connected, factory, new DNSLookupError("not an IP address: " + host, e));
        return connected;
      }
      connect(loop, new InetSocketAddress(address, port), destination, factory, timeout, connected);
    } else {
      // Name lookups block: never on a reactor thread.
      RESOLVER.execute(() -> {
        InetAddress address;
        try {
          address = InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
          executeQuietly(loop, () -> failConnect(connected, factory,
              new DNSLookupError("could not resolve host " + host + ": " + e.getMessage(), e)));
          return;
        }
        executeQuietly(loop, () -> connect(loop, new InetSocketAddress(address, port), destination, factory, timeout, connected));
      });
    }
    return connected;
  }

  private <P extends Protocol> void connect(NettyLoop loop,
      InetSocketAddress address, String destination, Factory<P> factory, Duration timeout, Deferred<P> connected) {
    if (state == State.STOPPING) {
      failConnect(connected, factory, new ConnectionAborted("the reactor is shutting down", null));
      return;
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop.io)
            .channel(socketChannel)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(new NettyConnection(NettyReactor.this, factory, connected));
                  }
                });
    bootstrap.connect(address).addListener((ChannelFuture future) -> {
      if (!future.isSuccess() && !connected.called()) {
        failConnect(connected, factory, ConnectErrors.map(incompatible(future.cause()), destination, timeout));
      }
    });
  }

  private void failConnect(Deferred<?> connected, Factory<?> factory, Throwable error) {
    releaseFactory(factory);
    if (!connected.called()) {
      connected.errback(error);
    }
  }

  private static void executeQuietly(NettyLoop loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      LOG.log(Level.DEBUG, "reactor stopped before a connect could proceed");
    }
  }

  // ---------------------------------------------------------------- connections and factories

  void connectionOpened(NettyConnection connection, NettyLoop loop) {
    loop.connections.add(connection);
    liveConnections.incrementAndGet();
  }

  void connectionClosed(NettyConnection connection, NettyLoop loop, Factory<?> clientFactory) {
    if (loop.connections.remove(connection)) {
      liveConnections.decrementAndGet();
    }
    if (clientFactory != null) {
      releaseFactory(clientFactory);
    }
    if (state == State.STOPPING && liveConnections.get() == 0) {
      main().wakeup();
    }
  }

  /** Returns the loop a channel's event loop belongs to. */
  NettyLoop loopOf(io.netty.channel.EventLoop eventLoop) {
    for (NettyLoop loop : loops) {
      if (loop.io == eventLoop) {
        return loop;
      }
    }
    throw new IllegalStateException("channel of another event loop: " + eventLoop);
  }

  /** Counts a factory's users; startFactory runs on the main thread before the first. */
  private void acquireFactory(Factory<?> factory) {
    onLoop(main(), () -> {
      int users = factoryUsers.merge(factory, 1, Integer::sum);
      if (users == 1) {
        runContained(factory::startFactory, "startFactory of " + factory);
      }
    });
  }

  /** Counts a factory's users down; stopFactory runs on the main thread after the last. */
  private void releaseFactory(Factory<?> factory) {
    onLoop(main(), () -> {
      Integer users = factoryUsers.get(factory);
      if (users == null) {
        return;
      }
      if (users == 1) {
        factoryUsers.remove(factory);
        runContained(factory::stopFactory, "stopFactory of " + factory);
      } else {
        factoryUsers.put(factory, users - 1);
      }
    });
  }

  // ---------------------------------------------------------------- helpers

  /** Runs user code; what it throws is logged and contained. */
  static void runContained(Runnable code, String what) {
    try {
      code.run();
    } catch (Throwable error) {
      Fatal.rethrowIfFatal(error);
      LOG.log(Level.WARNING, what + " threw; the reactor goes on", error);
    }
  }

  private Throwable incompatible(Throwable cause) {
    if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("incompatible event loop")) {
      return new IllegalStateException(
          "transport '" + name + "' pairs channel classes with an I/O handler they do not fit: "
              + serverChannel.getSimpleName() + "/" + socketChannel.getSimpleName(),
          cause);
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private void requireNotStopping(String method) {
    if (state == State.STOPPING || state == State.STOPPED) {
      throw new IllegalStateException(method + ": the reactor is shutting down");
    }
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  private static Executor resolverPool() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "torsion-resolver-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  ReactorOptions options() {
    return options;
  }

  @Override
  public ReactorReport report() {
    return report;
  }

  @Override
  public String toString() {
    return "Reactor[" + name + ", " + state.name().toLowerCase(java.util.Locale.ROOT)
        + ", thread=" + (main().owner() == null ? "none" : main().owner().getName()) + ", threads=" + loops.length
        + ", connections=" + liveConnections.get() + ", ports=" + ports.size() + "]";
  }
}
