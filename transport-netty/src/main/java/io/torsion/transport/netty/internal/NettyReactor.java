package io.torsion.transport.netty.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ManualIoEventLoop;
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
import io.torsion.spi.TimerQueue;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The reactor of every Netty-based transport: one {@link ManualIoEventLoop} driven by the thread
 * that owns the reactor, plus a {@link TimerQueue} for {@code callLater}.
 *
 * <p>The loop's owner is the first thread that uses the reactor (to set it up or to run it), and
 * stays so: that is Twisted's model, where the main thread listens and then runs the reactor.
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
  private final ReactorOptions options;
  private final ReactorReport report;
  private final ManualIoEventLoop loop;
  private final TimerQueue timers;
  private final Object ownership = new Object();
  private final Set<NettyConnection> connections = new LinkedHashSet<>();
  private final List<NettyListeningPort> ports = new ArrayList<>();
  private final Map<Factory<?>, Integer> factoryUsers = new IdentityHashMap<>();
  private final Map<SystemEvent, Map<TriggerPhase, List<Supplier<? extends Deferred<?>>>>> triggers =
      new EnumMap<>(SystemEvent.class);

  private volatile Thread owner;
  private volatile State state = State.NEW;
  private volatile boolean stopRequested;

  /**
   * Creates a reactor on one Netty I/O flavour: the handler factory and the channel classes that
   * fit it. Transport modules call this through {@code NettyTransport.newReactor}.
   */
  public NettyReactor(
      String name,
      IoHandlerFactory ioHandlerFactory,
      Class<? extends ServerChannel> serverChannel,
      Class<? extends SocketChannel> socketChannel,
      ReactorOptions options,
      ReactorReport report) {
    this.name = Objects.requireNonNull(name, "name");
    this.serverChannel = Objects.requireNonNull(serverChannel, "serverChannel");
    this.socketChannel = Objects.requireNonNull(socketChannel, "socketChannel");
    this.options = Objects.requireNonNull(options, "options");
    this.loop = new ManualIoEventLoop(null, null, ioHandlerFactory);
    this.timers = new TimerQueue(System::nanoTime, this::timerFailed);
    this.report = report.withDetail("threads: 1 (the thread that calls run())");
  }

  // ---------------------------------------------------------------- threads

  @Override
  public boolean isReactorThread() {
    return owner == Thread.currentThread();
  }

  /** Makes the current thread the owner if nobody owns the loop yet; else requires ownership. */
  void claimThread(String method) {
    Thread current = Thread.currentThread();
    if (owner == current) {
      return;
    }
    synchronized (ownership) {
      if (owner == null && state == State.NEW) {
        loop.setOwningThread(current);
        owner = current;
        loop.runNow(-1); // initialises the I/O handler on its thread; runs no queued task yet
        return;
      }
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException(method + ": the reactor has stopped; a reactor runs once");
    }
    throw new IllegalStateException(
        method + " must be called on the reactor thread '" + owner.getName() + "', not on '"
            + current.getName() + "'; hop with Reactor.callFromThread");
  }

  @Override
  public void callFromThread(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state == State.STOPPED) {
      throw new IllegalStateException("callFromThread: the reactor has stopped; the task cannot run");
    }
    loop.execute(() -> runContained(task, "a callFromThread task"));
  }

  // ---------------------------------------------------------------- time

  @Override
  public DelayedCall callLater(Duration delay, Runnable task) {
    claimThread("callLater");
    return timers.schedule(delay, task);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  private void timerFailed(Throwable error) {
    Fatal.rethrowIfFatal(error);
    LOG.log(Level.WARNING, "a callLater task threw; the reactor goes on", error);
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
      if (owner == null) {
        loop.setOwningThread(current);
        owner = current;
      } else if (owner != current) {
        throw new IllegalStateException(
            "run() must be called on thread '" + owner.getName() + "', which set this reactor up;"
                + " set it up from callFromThread to run it on another thread");
      }
      state = State.RUNNING;
    }
    LOG.log(Level.DEBUG, "reactor running on {0}", current.getName());
    try {
      fireEvent(SystemEvent.STARTUP, Long.MAX_VALUE);
      while (!stopRequested) {
        turn(Long.MAX_VALUE);
      }
      shutDown();
    } finally {
      state = State.STOPPED;
    }
  }

  @Override
  public void stop() {
    stopRequested = true;
    synchronized (ownership) {
      if (state == State.NEW && (owner == null || owner == Thread.currentThread())) {
        // Never run: release what creating and setting up took.
        if (owner == null) {
          loop.setOwningThread(Thread.currentThread());
          owner = Thread.currentThread();
        }
        state = State.STOPPING;
        destroyLoop();
        state = State.STOPPED;
        return;
      }
    }
    loop.wakeup();
  }

  /** One turn of the loop: I/O and tasks (waiting at most until {@code deadline}), then timers. */
  private void turn(long deadline) {
    long until = Math.min(timers.nextDueTime(), deadline);
    if (until == Long.MAX_VALUE) {
      loop.run(0); // 0: block until I/O, a task or a wakeup
    } else {
      long wait = until - System.nanoTime();
      loop.run(wait <= 0 ? -1 : wait); // -1: do not block
    }
    timers.runDue(System.nanoTime());
  }

  private void driveUntil(BooleanSupplier done, long deadline) {
    while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
      turn(deadline);
    }
  }

  private void shutDown() {
    state = State.STOPPING;
    long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
    fireEvent(SystemEvent.SHUTDOWN, deadline);
    destroyLoop();
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
      driveUntil(() -> pending.get() == 0 || (event == SystemEvent.STARTUP && stopRequested), deadline);
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
    for (NettyListeningPort port : new ArrayList<>(ports)) {
      port.stopListening();
    }
    for (NettyConnection connection : new ArrayList<>(connections)) {
      connection.closeForShutdown();
    }
    driveUntil(connections::isEmpty, deadline);
    if (!connections.isEmpty()) {
      LOG.log(Level.WARNING, "{0} connection(s) did not flush within the shutdown timeout {1}; aborting them",
          connections.size(), options.shutdownTimeout());
      for (NettyConnection connection : new ArrayList<>(connections)) {
        connection.abort(new ConnectionAborted("the reactor shut down before the connection flushed", null));
      }
      driveUntil(connections::isEmpty, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
  }

  private void destroyLoop() {
    loop.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
    while (!loop.isTerminated()) {
      loop.runNow();
    }
  }

  @Override
  public void addSystemEventTrigger(
      TriggerPhase phase, SystemEvent event, Supplier<? extends Deferred<?>> trigger) {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(trigger, "trigger");
    claimThread("addSystemEventTrigger");
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
    claimThread("listenTCP");
    requireNotStopping("listenTCP");
    String where = (host == null ? "*" : host) + ":" + port;
    InetSocketAddress address;
    try {
      address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new CannotListenError("cannot listen on " + where + ": unknown host " + host, e);
    }
    Channel server = newServerChannel();
    server.config().setOption(ChannelOption.SO_REUSEADDR, true);
    server.pipeline().addLast(new Acceptor(this, loop, factory));
    // Registering and binding directly (not through ServerBootstrap, which binds from a queued
    // task) completes both inline on the reactor thread, so the port is bound when we return.
    ChannelPromise registered = server.newPromise();
    server.unsafe().register(loop, registered);
    ChannelFuture bound = registered.isSuccess() ? server.bind(address) : registered;
    completeInline(bound, "listenTCP");
    if (!bound.isSuccess()) {
      server.unsafe().closeForcibly();
      Throwable cause = incompatible(bound.cause());
      throw new CannotListenError("cannot listen on " + where + ": " + describe(cause), cause);
    }
    acquireFactory(factory);
    NettyListeningPort listening = new NettyListeningPort(this, bound.channel(), factory);
    ports.add(listening);
    return listening;
  }

  private Channel newServerChannel() {
    try {
      return serverChannel.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "transport '" + name + "': cannot create " + serverChannel.getName(), e);
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
    claimThread("connectTCP");
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
      connect(new InetSocketAddress(address, port), destination, factory, timeout, connected);
    } else {
      // Name lookups block: never on the reactor thread.
      RESOLVER.execute(() -> {
        InetAddress address;
        try {
          address = InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
          callFromThreadQuietly(() -> failConnect(connected, factory,
              new DNSLookupError("could not resolve host " + host + ": " + e.getMessage(), e)));
          return;
        }
        callFromThreadQuietly(() -> connect(new InetSocketAddress(address, port), destination, factory, timeout, connected));
      });
    }
    return connected;
  }

  private <P extends Protocol> void connect(
      InetSocketAddress address, String destination, Factory<P> factory, Duration timeout, Deferred<P> connected) {
    if (state == State.STOPPING) {
      failConnect(connected, factory, new ConnectionAborted("the reactor is shutting down", null));
      return;
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
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

  private void callFromThreadQuietly(Runnable task) {
    try {
      callFromThread(task);
    } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException stopped) {
      LOG.log(Level.DEBUG, "reactor stopped before a connect could proceed");
    }
  }

  // ---------------------------------------------------------------- connections and factories

  void connectionOpened(NettyConnection connection) {
    connections.add(connection);
  }

  void connectionClosed(NettyConnection connection, Factory<?> clientFactory) {
    connections.remove(connection);
    if (clientFactory != null) {
      releaseFactory(clientFactory);
    }
  }

  int connectionCount() {
    return connections.size();
  }

  private void acquireFactory(Factory<?> factory) {
    int users = factoryUsers.merge(factory, 1, Integer::sum);
    if (users == 1) {
      runContained(factory::startFactory, "startFactory of " + factory);
    }
  }

  private void releaseFactory(Factory<?> factory) {
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

  /**
   * Waits for an operation that completes inline on the owning thread; before {@code run()} it
   * may drive the loop to finish it.
   */
  private void completeInline(ChannelFuture future, String method) {
    if (!future.isDone() && state == State.NEW) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!future.isDone() && System.nanoTime() - deadline < 0) {
        loop.runNow(-1);
      }
    }
    if (!future.isDone()) {
      throw new IllegalStateException(method + " did not complete on transport " + name);
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
        + ", thread=" + (owner == null ? "none" : owner.getName()) + ", connections=" + connections.size()
        + ", ports=" + ports.size() + "]";
  }
}
