package io.torsion.spi;

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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A complete {@link Reactor} for transport authors, minus the sockets: the life cycle (run, stop,
 * shutdown triggers, closing everything within the shutdown timeout), thread ownership (the first
 * thread that uses the reactor owns its main loop, as in Twisted), timed calls, {@code
 * callFromThread}, factories' start and stop, name resolution off the reactor thread, and {@code
 * threads(n)} worker loops. A transport supplies its {@link ReactorLoop}s and implements {@link
 * #listen} and {@link #connect}; its connections extend {@link AbstractConnection}.
 *
 * @param <L> the transport's loop type
 */
public abstract class AbstractReactor<L extends ReactorLoop> implements Reactor {
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
  private final ReactorOptions options;
  private final ReactorReport report;
  private final List<L> loops;
  private final List<Thread> workers = new ArrayList<>();
  private final Object ownership = new Object();
  private final AtomicInteger liveConnections = new AtomicInteger();
  private final ReactorCounters counters = new ReactorCounters();
  private final OutputBudget budget;
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final List<ListeningPort> ports = new CopyOnWriteArrayList<>();
  private final java.util.Set<ProcessDriver> processes = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Object poolLock = new Object();
  private ThreadPoolExecutor pool;
  private int poolSize;
  private final Map<Factory<?>, Integer> factoryUsers = new IdentityHashMap<>();
  private final Map<SystemEvent, Map<TriggerPhase, List<Supplier<? extends Deferred<?>>>>> triggers =
      new EnumMap<>(SystemEvent.class);

  private volatile State state = State.NEW;
  private volatile boolean stopRequested;
  private volatile boolean workersStop;

  /**
   * Creates the reactor and its {@link ReactorOptions#threads()} loops; loops 1..n-1 start on
   * daemon worker threads at once, loop 0 waits for its owner.
   *
   * @param name the transport's name, for thread names, errors and reports
   * @param newLoop creates loop number {@code i}
   */
  protected AbstractReactor(String name, ReactorOptions options, ReactorReport report, IntFunction<L> newLoop) {
    this.name = Objects.requireNonNull(name, "name");
    this.options = Objects.requireNonNull(options, "options");
    this.report = Objects.requireNonNull(report, "report");
    this.poolSize = options.threadPoolSize();
    this.budget = new OutputBudget(options.outputBudget());
    List<L> created = new ArrayList<>();
    for (int i = 0; i < options.threads(); i++) {
      created.add(newLoop.apply(i));
    }
    this.loops = List.copyOf(created);
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (int i = 1; i < loops.size(); i++) {
      L loop = loops.get(i);
      Thread worker = new Thread(() -> work(loop), "torsion-" + name + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      CompletableFuture<Void> owned = new CompletableFuture<>();
      started.add(owned);
      worker.start();
      loop.execute(() -> owned.complete(null));
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture<?>[]::new)).join();
  }

  // ---------------------------------------------------------------- for transports

  /**
   * Opens a listening port on {@code address}; called on the main loop's thread. The port must
   * be bound when this returns; accepted connections go to loops as the transport decides (see
   * {@link #nextLoop()}).
   *
   * @param where {@code host:port} as the user gave it, for error messages
   */
  protected abstract AbstractListeningPort listen(InetSocketAddress address, Factory<?> factory, String where)
      throws CannotListenError;

  /**
   * Starts connecting to {@code address} on {@code loop} (called on its thread); the connection's
   * {@link AbstractConnection} fires {@code connected}, or the transport calls {@link
   * #connectFailed} when the attempt fails.
   */
  protected abstract <P extends Protocol> void connect(
      L loop, InetSocketAddress address, String destination, Factory<P> factory, Duration timeout, Deferred<P> connected);

  /** Returns the loops; index 0 is the main loop. */
  protected final List<L> loops() {
    return loops;
  }

  /** Returns the main loop, the one {@code run()} drives. */
  protected final L main() {
    return loops.get(0);
  }

  /** Returns the loop the next accepted connection should go to, round-robin. */
  protected final L nextLoop() {
    return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
  }

  /** Returns the options this reactor was created with. */
  public final ReactorOptions options() {
    return options;
  }

  /** Returns the transport's name. */
  protected final String name() {
    return name;
  }

  /** Fails a connection attempt that never produced a connection. */
  protected final void connectFailed(Deferred<?> connected, Factory<?> factory, Throwable error) {
    releaseFactory(factory);
    if (!connected.called()) {
      connected.errback(error);
    }
  }

  /** Runs user code; what it throws is logged and contained. */
  public static void runContained(Runnable code, String what) {
    try {
      code.run();
    } catch (Throwable error) {
      rethrowIfFatal(error);
      LOG.log(Level.WARNING, what + " threw; the reactor goes on", error);
    }
  }

  /** Rethrows errors after which the JVM cannot be trusted to go on (except stack overflow). */
  public static void rethrowIfFatal(Throwable error) {
    if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
      throw (VirtualMachineError) error;
    }
  }

  // ---------------------------------------------------------------- threads

  @Override
  public final boolean isReactorThread() {
    return current() != null;
  }

  /** Returns the loop the calling thread drives, or null. */
  protected final L current() {
    Thread thread = Thread.currentThread();
    for (L loop : loops) {
      if (loop.owner() == thread) {
        return loop;
      }
    }
    return null;
  }

  /**
   * Returns the calling thread's loop; before {@code run()}, the first caller becomes the owner of
   * the main loop. Throws, naming {@code method}, on any other thread.
   */
  protected final L claimThread(String method) {
    L loop = current();
    if (loop != null) {
      return loop;
    }
    synchronized (ownership) {
      if (main().owner() == null && state == State.NEW) {
        main().own();
        return main();
      }
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException(method + ": the reactor has stopped; a reactor runs once");
    }
    throw new IllegalStateException(
        method + " must be called on a reactor thread ('" + main().owner().getName() + "'"
            + (loops.size() > 1 ? " or a worker" : "") + "), not on '" + Thread.currentThread().getName()
            + "'; hop with Reactor.callFromThread");
  }

  private L claimMainThread(String method) {
    L loop = claimThread(method);
    if (loop != main()) {
      throw new IllegalStateException(method + " must be called on the main reactor thread '"
          + main().owner().getName() + "', not on worker '" + Thread.currentThread().getName()
          + "'; hop with Reactor.callFromThread");
    }
    return loop;
  }

  @Override
  public final void callFromThread(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state == State.STOPPED) {
      throw new IllegalStateException("callFromThread: the reactor has stopped; the task cannot run");
    }
    main().execute(() -> runContained(task, "a callFromThread task"));
  }

  // ---------------------------------------------------------------- worker pool

  @Override
  public final <T> Deferred<T> deferToThread(java.util.concurrent.Callable<? extends T> work) {
    Objects.requireNonNull(work, "work");
    L loop = claimThread("deferToThread");
    Deferred<T> result = new Deferred<>();
    try {
      pool().execute(() -> {
        T value;
        try {
          value = work.call();
        } catch (Throwable error) {
          rethrowIfFatal(error);
          postQuietly(loop, () -> result.errback(error));
          return;
        }
        postQuietly(loop, () -> result.callback(value));
      });
    } catch (RejectedExecutionException stopped) {
      result.errback(new io.torsion.CancelledError("the reactor's worker pool has stopped"));
    }
    return result;
  }

  @Override
  public final void callInThread(Runnable work) {
    Objects.requireNonNull(work, "work");
    pool().execute(() -> runContained(work, "a callInThread task"));
  }

  @Override
  public final <T> T blockingCallFromThread(java.util.concurrent.Callable<? extends Deferred<T>> call) throws Exception {
    Objects.requireNonNull(call, "call");
    if (isReactorThread()) {
      throw new IllegalStateException("blockingCallFromThread on a reactor thread would wait for itself forever;"
          + " call it from a pool or other thread, or use the Deferred directly");
    }
    CompletableFuture<T> outcome = new CompletableFuture<>();
    callFromThread(() -> {
      Deferred<T> deferred;
      try {
        deferred = call.call();
      } catch (Throwable error) {
        outcome.completeExceptionally(error);
        return;
      }
      if (deferred == null) {
        outcome.completeExceptionally(new NullPointerException("the call returned no Deferred"));
        return;
      }
      deferred.addCallbacks(value -> {
        outcome.complete(value);
        return null;
      }, failure -> {
        outcome.completeExceptionally(failure.value());
        return null;
      });
    });
    try {
      return outcome.get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  public final void suggestThreadPoolSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("thread pool size must be at least 1: " + size);
    }
    synchronized (poolLock) {
      poolSize = size;
      if (pool != null) {
        if (size > pool.getMaximumPoolSize()) {
          pool.setMaximumPoolSize(size);
          pool.setCorePoolSize(size);
        } else {
          pool.setCorePoolSize(size);
          pool.setMaximumPoolSize(size);
        }
      }
    }
  }

  private ThreadPoolExecutor pool() {
    synchronized (poolLock) {
      if (pool == null) {
        if (state == State.STOPPED) {
          throw new RejectedExecutionException("the reactor has stopped");
        }
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(poolSize, poolSize, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, "torsion-pool-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
        pool.allowCoreThreadTimeOut(true);
      }
      return pool;
    }
  }

  private void stopPool(long deadline) {
    ThreadPoolExecutor running;
    synchronized (poolLock) {
      running = pool;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      long wait = Math.max(0, deadline - System.nanoTime());
      if (!running.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
        LOG.log(Level.WARNING, "worker pool tasks did not finish within the shutdown timeout; interrupting them");
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void postQuietly(ReactorLoop loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (RuntimeException stopped) {
      LOG.log(Level.DEBUG, "a worker result arrived after the reactor stopped");
    }
  }

  // ---------------------------------------------------------------- processes

  @Override
  public final io.torsion.ProcessTransport spawnProcess(io.torsion.ProcessProtocol protocol, List<String> argv,
      Map<String, String> environment, java.nio.file.Path workingDirectory) throws java.io.IOException {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty: name the program to run");
    }
    L loop = claimThread("spawnProcess");
    requireNotStopping("spawnProcess");
    ProcessDriver driver = new ProcessDriver(this, loop, protocol, argv);
    processes.add(driver);
    try {
      driver.start(environment, workingDirectory);
    } catch (java.io.IOException | RuntimeException e) {
      processes.remove(driver);
      throw e;
    }
    return driver;
  }

  final void processEnded(ProcessDriver driver) {
    processes.remove(driver);
    if (state == State.STOPPING) {
      main().wakeup();
    }
  }

  private void endProcesses(long deadline) {
    if (processes.isEmpty()) {
      return;
    }
    if (options.childProcesses() == ReactorOptions.ChildProcesses.TERMINATE) {
      for (ProcessDriver driver : processes) {
        driver.terminate(false);
      }
    }
    main().driveUntil(processes::isEmpty, deadline);
    if (!processes.isEmpty()) {
      LOG.log(Level.WARNING, "{0} child process(es) still running at the end of the shutdown timeout; killing them",
          processes.size());
      for (ProcessDriver driver : processes) {
        driver.terminate(true);
      }
      main().driveUntil(processes::isEmpty, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    }
  }

  private void work(L loop) {
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
  public final DelayedCall callLater(Duration delay, Runnable task) {
    return claimThread("callLater").timers().schedule(delay, task);
  }

  @Override
  public final long nanoTime() {
    return System.nanoTime();
  }

  // ---------------------------------------------------------------- run and stop

  @Override
  public final void run() {
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
    // As in Twisted, only a reactor run on the main thread takes the signals: one run by a
    // BackgroundReactor or an embedding program leaves Ctrl-C to its host.
    StopOnSignal signals = options.installSignalHandlers() && isJvmMainThread(current)
        ? StopOnSignal.install(this::stop) : null;
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
      if (signals != null) {
        signals.close();
      }
    }
  }

  @Override
  public final void stop() {
    stopRequested = true;
    synchronized (ownership) {
      if (state == State.NEW && (main().owner() == null || main().owner() == Thread.currentThread())) {
        // Never run: release what creating and setting up took.
        if (main().owner() == null) {
          main().own();
        }
        state = State.STOPPING;
        stopWorkers();
        stopPool(System.nanoTime() + options.shutdownTimeout().toNanos());
        main().destroy();
        state = State.STOPPED;
        return;
      }
    }
    main().wakeup();
  }

  private void stopWorkers() {
    workersStop = true;
    for (int i = 1; i < loops.size(); i++) {
      loops.get(i).wakeup();
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
      rethrowIfFatal(error);
      LOG.log(Level.WARNING, phase + " " + event + " trigger threw; going on", error);
      return null;
    }
  }

  private void closeEverything(long deadline) {
    for (ListeningPort port : ports) {
      port.stopListening();
    }
    for (L loop : loops) {
      onLoop(loop, () -> {
        for (AbstractConnection connection : loop.connections()) {
          connection.closeForShutdown();
        }
      });
    }
    main().driveUntil(() -> liveConnections.get() == 0, deadline);
    if (liveConnections.get() > 0) {
      LOG.log(Level.WARNING, "{0} connection(s) did not flush within the shutdown timeout {1}; aborting them",
          liveConnections.get(), options.shutdownTimeout());
      for (L loop : loops) {
        onLoop(loop, () -> {
          for (AbstractConnection connection : loop.connections()) {
            connection.abort(new ConnectionAborted("the reactor shut down before the connection flushed", null));
          }
        });
      }
      main().driveUntil(() -> liveConnections.get() == 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
    endProcesses(deadline);
    stopPool(deadline);
  }

  /** Runs {@code task} on {@code loop}: now if this is its thread, else queued. */
  private static void onLoop(ReactorLoop loop, Runnable task) {
    if (loop.inLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  @Override
  public final void addSystemEventTrigger(
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
  public final ListeningPort listenTCP(int port, String host, Factory<?> factory) throws CannotListenError {
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
    AbstractListeningPort listening = listen(address, factory, where);
    acquireFactory(factory);
    ports.add(listening);
    warnIfNeverRun();
    return listening;
  }

  private static boolean isJvmMainThread(Thread thread) {
    ThreadGroup group = thread.getThreadGroup();
    return thread.getName().equals("main") && group != null && group.getName().equals("main");
  }

  /** How long a reactor may listen without running before it says so (a property, for tests). */
  private static long neverRunWarningMillis() {
    return Long.getLong("torsion.reactor.neverRunWarningMillis", 10_000L);
  }

  private boolean neverRunCheckScheduled;

  /** Forgetting run() must not be silent: ports that listen but never accept are a puzzle. */
  private void warnIfNeverRun() {
    if (state != State.NEW || neverRunCheckScheduled) {
      return;
    }
    neverRunCheckScheduled = true;
    long after = neverRunWarningMillis();
    CompletableFuture.delayedExecutor(after, TimeUnit.MILLISECONDS).execute(() -> {
      if (state == State.NEW && !stopRequested && !ports.isEmpty()) {
        LOG.log(Level.WARNING, "{0}: {1} port(s) listening for {2} ms, but run() was never called, so no"
            + " connection is accepted; call reactor.run() on the thread that set it up (or use"
            + " BackgroundReactor)", this, ports.size(), after);
      }
    });
  }

  final void portStopped(ListeningPort port, Factory<?> factory) {
    if (ports.remove(port)) {
      releaseFactory(factory);
    }
  }

  // ---------------------------------------------------------------- connect

  @Override
  public final <P extends Protocol> Deferred<P> connectTCP(String host, int port, Factory<P> factory) {
    return connectTCP(host, port, factory, options.connectTimeout());
  }

  @Override
  public final <P extends Protocol> Deferred<P> connectTCP(
      String host, int port, Factory<P> factory, Duration timeout) {
    Objects.requireNonNull(host, "host");
    checkPort(port);
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
    }
    // The connection lives on the caller's loop, so that the Deferred fires on the caller's thread.
    L loop = claimThread("connectTCP");
    requireNotStopping("connectTCP");
    Deferred<P> connected = new Deferred<>();
    String destination = host + ":" + port;
    acquireFactory(factory);
    if (IP_LITERAL.matcher(host).matches()) {
      InetAddress address;
      try {
        address = InetAddress.getByName(host); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        connectFailed(connected, factory, new DNSLookupError("not an IP address: " + host, e));
        return connected;
      }
      startConnect(loop, new InetSocketAddress(address, port), destination, factory, timeout, connected);
    } else {
      // Name lookups block: never on a reactor thread.
      RESOLVER.execute(() -> {
        InetAddress address;
        try {
          address = InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
          executeQuietly(loop, () -> connectFailed(connected, factory,
              new DNSLookupError("could not resolve host " + host + ": " + e.getMessage(), e)));
          return;
        }
        executeQuietly(loop, () -> startConnect(loop, new InetSocketAddress(address, port), destination, factory, timeout, connected));
      });
    }
    return connected;
  }

  private <P extends Protocol> void startConnect(
      L loop, InetSocketAddress address, String destination, Factory<P> factory, Duration timeout, Deferred<P> connected) {
    if (state == State.STOPPING || state == State.STOPPED) {
      connectFailed(connected, factory, new ConnectionAborted("the reactor is shutting down", null));
      return;
    }
    connect(loop, address, destination, factory, timeout, connected);
  }

  private static void executeQuietly(ReactorLoop loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException | IllegalStateException stopped) {
      LOG.log(Level.DEBUG, "reactor stopped before a connect could proceed");
    }
  }

  // ---------------------------------------------------------------- connections and factories

  final void connectionOpened(AbstractConnection connection, ReactorLoop loop) {
    loop.addConnection(connection);
    liveConnections.incrementAndGet();
  }

  final void connectionClosed(AbstractConnection connection, ReactorLoop loop, Factory<?> clientFactory) {
    if (loop.removeConnection(connection)) {
      liveConnections.decrementAndGet();
    }
    if (clientFactory != null) {
      releaseFactory(clientFactory);
    }
    if (state == State.STOPPING && liveConnections.get() == 0) {
      main().wakeup();
    }
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

  @Override
  public final ReactorReport report() {
    return report;
  }

  @Override
  public final io.torsion.ReactorStats stats() {
    ReactorCounters c = counters;
    return new io.torsion.ReactorStats(liveConnections.get(), c.bytesRead.sum(), c.bytesWritten.sum(),
        c.pausedForBackpressure.sum(), budget.charged(), budget.limit(), c.abortedOverBudget.sum(),
        c.allocationFailures.sum());
  }

  final ReactorCounters counters() {
    return counters;
  }

  final OutputBudget budget() {
    return budget;
  }

  @Override
  public String toString() {
    return "Reactor[" + name + ", " + state.name().toLowerCase(Locale.ROOT)
        + ", thread=" + (main().owner() == null ? "none" : main().owner().getName()) + ", threads=" + loops.size()
        + ", connections=" + liveConnections.get() + ", ports=" + ports.size() + "]";
  }
}
