package io.torsion.internal;

import io.torsion.CancelledError;
import io.torsion.CannotListenError;
import io.torsion.ConnectError;
import io.torsion.ConnectionAborted;
import io.torsion.DNSLookupError;
import io.torsion.DatagramOptions;
import io.torsion.DatagramProtocol;
import io.torsion.DatagramTransport;
import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.ProcessProtocol;
import io.torsion.ProcessTransport;
import io.torsion.Protocol;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.ReactorReport;
import io.torsion.ReactorStats;
import io.torsion.SystemEvent;
import io.torsion.TriggerPhase;
import io.torsion.UnixPort;
import io.torsion.spi.Acceptor;
import io.torsion.spi.DatagramSocket;
import io.torsion.spi.ListenSocket;
import io.torsion.spi.Network;
import io.torsion.spi.Poller;
import io.torsion.spi.SocketEvents;
import io.torsion.tls.TlsClientOptions;
import io.torsion.tls.TlsEngines;
import io.torsion.tls.TlsServerOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one {@link Reactor} of every transport, over the transport's {@link Network}: the life cycle
 * (run, stop, shutdown triggers, closing everything within the shutdown timeout), thread ownership
 * (the first thread that uses the reactor owns its main loop, as in Twisted), timed calls, {@code
 * callFromThread}, listening and connecting, name resolution off the reactor thread, and {@code
 * threads(n)} loops. Its parts: {@link Loop} per thread, {@link Connection} per socket, {@link
 * Port} per listening socket, {@link WorkerPool}, {@link SystemTriggers}, {@link FactoryUsers},
 * {@link ChildProcesses}, {@link OutputBudget}.
 *
 * <p>Threads: {@code state} and the stop flags are volatile, changed under {@code ownership};
 * {@code ports} and the live count are safe from any thread; the triggers and factory counts belong
 * to the main loop; each connection belongs to its loop.
 */
public final class DefaultReactor implements Reactor {
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
  private final Network network;
  private final List<Loop> loops;
  private final List<Thread> workers = new ArrayList<>();
  private final Object ownership = new Object();
  private final AtomicInteger liveConnections = new AtomicInteger();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final ReactorCounters counters = new ReactorCounters();
  private final OutputBudget budget;
  private final List<ListeningPort> ports = new CopyOnWriteArrayList<>();
  private final List<DatagramPort> datagramPorts = new CopyOnWriteArrayList<>();
  private final ChildProcesses processes = new ChildProcesses();
  private final WorkerPool pool;
  private final FactoryUsers factoryUsers = new FactoryUsers();
  private final SystemTriggers triggers = new SystemTriggers();

  private volatile State state = State.NEW;
  private volatile boolean stopRequested;
  private volatile boolean workersStop;
  private boolean neverRunCheckScheduled; // main loop's

  /**
   * Creates the reactor and its {@link ReactorOptions#threads()} loops on {@code network}; loops
   * 1..n-1 start on daemon worker threads at once, loop 0 waits for its owner.
   *
   * @param name the transport's name, for thread names, errors and reports
   */
  /** The {@code blockingCallFromThread} callers waiting now, failed if the reactor stops. */
  private final Set<CompletableFuture<?>> waitingCallers = ConcurrentHashMap.newKeySet();

  /**
   * The inline bodies started and not ended, let go (their awaits throw) when the reactor stops.
   */
  private final Set<Strand> strands = ConcurrentHashMap.newKeySet();

  public DefaultReactor(
      String name, ReactorOptions options, ReactorReport report, Network network) {
    EarlyLoads.run();
    this.name = Objects.requireNonNull(name, "name");
    this.options = Objects.requireNonNull(options, "options");
    this.network = Objects.requireNonNull(network, "network");
    this.pool = new WorkerPool(options.threadPoolSize(), options.workerExecutor());
    this.budget = new OutputBudget(options.outputBudget());
    List<Loop> created = new ArrayList<>();
    for (int i = 0; i < options.threads(); i++) {
      created.add(new Loop(i, network));
    }
    this.loops = List.copyOf(created);
    int threads = options.threads();
    this.report =
        Objects.requireNonNull(report, "report")
            .withDetails(network.details())
            .withDetails(TlsEngines.report())
            .withDetail(pool.describe())
            .withDetail(Strand.describe())
            .withDetail(
                threads == 1
                    ? "threads: 1 (the thread that calls run())"
                    : "threads: "
                        + threads
                        + " (the thread that calls run() and "
                        + (threads - 1)
                        + " workers)");
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (int i = 1; i < loops.size(); i++) {
      Loop loop = loops.get(i);
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

  // ---------------------------------------------------------------- for the parts

  ReactorOptions options() {
    return options;
  }

  ReactorCounters counters() {
    return counters;
  }

  OutputBudget budget() {
    return budget;
  }

  /** Returns the loop of one of the network's pollers. */
  Loop loopOf(Poller poller) {
    for (int i = 0; i < loops.size(); i++) { // by index: no iterator for every new connection
      Loop loop = loops.get(i);
      if (loop.poller() == poller) {
        return loop;
      }
    }
    throw new IllegalStateException("a poller of another reactor: " + poller);
  }

  private Loop main() {
    return loops.get(0);
  }

  /** Fails a connection attempt that never produced a connection. */
  void connectFailed(Deferred<?> connected, Factory<?> factory, Throwable error) {
    releaseFactory(factory);
    if (!connected.called()) {
      connected.errback(error);
    }
  }

  // ---------------------------------------------------------------- threads

  @Override
  public boolean isReactorThread() {
    return current() != null;
  }

  /** Returns the loop the calling thread drives, or null. */
  private Loop current() {
    for (Loop loop : loops) {
      if (loop.inLoop()) {
        return loop;
      }
    }
    return null;
  }

  /**
   * Returns the calling thread's loop; before {@code run()}, the first caller becomes the owner of
   * the main loop. Throws, naming {@code method}, on any other thread.
   */
  Loop claimThread(String method) {
    Loop loop = current();
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
        method
            + " must be called on a reactor thread ('"
            + main().owner().getName()
            + "'"
            + (loops.size() > 1 ? " or a worker" : "")
            + "), not on '"
            + Thread.currentThread().getName()
            + "'; hop with Reactor.callFromThread");
  }

  Loop claimMainThread(String method) {
    Loop loop = claimThread(method);
    if (loop != main()) {
      throw new IllegalStateException(
          method
              + " must be called on the main reactor thread '"
              + main().owner().getName()
              + "', not on worker '"
              + Thread.currentThread().getName()
              + "'; hop with Reactor.callFromThread");
    }
    return loop;
  }

  /**
   * Returns a strand for an inline body on the calling thread's loop; {@link Strand#resume} starts
   * it.
   */
  public Strand newStrand(String method, Runnable body) {
    Loop loop = claimThread(method);
    Strand strand = new Strand(this, loop, body);
    strands.add(strand);
    return strand;
  }

  void strandEnded(Strand strand) {
    strands.remove(strand);
  }

  /** The reactor has stopped: bodies still waiting will never be resumed, so let them go. */
  private void releaseStrands() {
    for (Strand strand : strands) {
      strand.end();
    }
    strands.clear();
  }

  @Override
  public void callFromThread(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (state == State.STOPPED) {
      throw new IllegalStateException(
          "callFromThread: the reactor has stopped; the task cannot run");
    }
    main().execute(() -> Contained.run(task, "a callFromThread task"));
  }

  // ---------------------------------------------------------------- worker pool

  @Override
  public <T> Deferred<T> deferToThread(Callable<? extends T> work) {
    return deferToThread(work, OnCancel.ABANDON);
  }

  @Override
  public <T> Deferred<T> deferToThread(Callable<? extends T> work, OnCancel onCancel) {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(onCancel, "onCancel");
    return pool.defer(work, claimThread("deferToThread"), onCancel);
  }

  @Override
  public void callInThread(Runnable work) {
    Objects.requireNonNull(work, "work");
    pool.call(work);
  }

  @Override
  public <T> T blockingCallFromThread(Callable<? extends Deferred<T>> call) throws Exception {
    Objects.requireNonNull(call, "call");
    if (isReactorThread()) {
      throw new IllegalStateException(
          "blockingCallFromThread on a reactor thread would wait for itself forever;"
              + " call it from a pool or other thread, or use the Deferred directly");
    }
    CompletableFuture<T> outcome = new CompletableFuture<>();
    AtomicReference<Deferred<T>> started = new AtomicReference<>(); // set on the reactor thread
    waitingCallers.add(outcome);
    try {
      callFromThread(
          () -> {
            Deferred<T> deferred;
            try {
              deferred = call.call();
            } catch (Throwable error) {
              outcome.completeExceptionally(error);
              return;
            }
            if (deferred == null) {
              outcome.completeExceptionally(
                  new NullPointerException("the call returned no Deferred"));
              return;
            }
            started.set(deferred);
            deferred.addCallbacks(
                value -> {
                  outcome.complete(value);
                  return null;
                },
                failure -> {
                  outcome.completeExceptionally(failure.value());
                  return null;
                });
          });
    } catch (IllegalStateException stopped) {
      waitingCallers.remove(outcome);
      throw new CancelledError("the reactor has stopped: " + stopped.getMessage());
    }
    try {
      return outcome.get();
    } catch (InterruptedException interrupted) {
      // the waiting thread gives up (a deferToThread cancelled with INTERRUPT): so does the call
      callFromThread(
          () -> {
            Deferred<T> deferred = started.get();
            if (deferred != null) {
              deferred.cancel();
            }
          });
      throw interrupted;
    } catch (CancellationException e) {
      // the call's Deferred was cancelled: Java 23+ wraps its CancelledError in another
      throw e.getCause() instanceof CancellationException cancelled ? cancelled : e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } finally {
      waitingCallers.remove(outcome);
    }
  }

  /** Fails every {@code blockingCallFromThread} still waiting: the reactor will not answer it. */
  private void releaseWaitingCallers() {
    for (CompletableFuture<?> waiting : waitingCallers) {
      waiting.completeExceptionally(
          new CancelledError("the reactor stopped before the call's Deferred fired"));
    }
  }

  @Override
  public void suggestThreadPoolSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("thread pool size must be at least 1: " + size);
    }
    pool.resize(size);
  }

  // ---------------------------------------------------------------- processes

  @Override
  public ProcessTransport spawnProcess(
      ProcessProtocol protocol,
      List<String> argv,
      Map<String, String> environment,
      Path workingDirectory)
      throws IOException {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty: name the program to run");
    }
    Loop loop = claimThread("spawnProcess");
    requireNotStopping("spawnProcess");
    ProcessDriver driver = new ProcessDriver(this, loop, protocol, argv);
    processes.add(driver);
    try {
      driver.start(environment, workingDirectory);
    } catch (IOException | RuntimeException e) {
      processes.remove(driver);
      throw e;
    }
    return driver;
  }

  void processEnded(ProcessDriver driver) {
    processes.remove(driver);
    if (state == State.STOPPING) {
      main().wakeup();
    }
  }

  private void work(Loop loop) {
    loop.own();
    loop.drive(
        () -> {
          try {
            while (!workersStop) {
              loop.turn(Long.MAX_VALUE);
            }
          } finally {
            loop.destroy();
          }
        });
  }

  // ---------------------------------------------------------------- time

  @Override
  public DelayedCall callLater(Duration delay, Runnable task) {
    return claimThread("callLater").timers().schedule(delay, task);
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
            "run(): the reactor "
                + (state == State.STOPPED
                    ? "has stopped; a reactor runs once"
                    : "is already running"));
      }
      if (main().owner() == null) {
        main().own();
      } else if (main().owner() != current) {
        throw new IllegalStateException(
            "run() must be called on thread '"
                + main().owner().getName()
                + "', which set this reactor up;"
                + " set it up from callFromThread to run it on another thread");
      }
      state = State.RUNNING;
    }
    LOG.log(Level.DEBUG, "reactor running on {0}", current.getName());
    // As in Twisted, only a reactor run on the main thread takes the signals: one run by a
    // BackgroundReactor or an embedding program leaves Ctrl-C to its host.
    StopOnSignal signals =
        options.installSignalHandlers() && isJvmMainThread(current)
            ? StopOnSignal.install(this::stop)
            : null;
    try {
      main().drive(this::runTurns);
    } finally {
      state = State.STOPPED;
      releaseStrands();
      if (signals != null) {
        signals.close();
      }
    }
  }

  /** The main loop's life: start-up, turns until a stop, shutdown within its grace period. */
  private void runTurns() {
    fireEvent(SystemEvent.STARTUP, Long.MAX_VALUE);
    while (!stopRequested) {
      main().turn(Long.MAX_VALUE);
    }
    state = State.STOPPING;
    fireEvent(SystemEvent.SHUTDOWN, System.nanoTime() + options.shutdownTimeout().toNanos());
    stopWorkers();
    main().destroy();
  }

  @Override
  public void stop() {
    stopRequested = true;
    synchronized (ownership) {
      if (state == State.NEW
          && (main().owner() == null || main().owner() == Thread.currentThread())) {
        // Never run: release what creating and setting up took.
        if (main().owner() == null) {
          main().own();
        }
        state = State.STOPPING;
        stopWorkers();
        releaseWaitingCallers();
        pool.stop(System.nanoTime() + options.shutdownTimeout().toNanos());
        main().destroy();
        state = State.STOPPED;
        releaseStrands();
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
      for (Deferred<?> result : triggers.call(event, phase)) {
        pending.incrementAndGet();
        result.addBoth(
            (value, failure) -> {
              pending.decrementAndGet();
              if (failure != null) {
                LOG.log(
                    Level.WARNING,
                    event + " trigger failed: " + failure.message(),
                    failure.value());
              }
              return null;
            });
      }
      if (event == SystemEvent.SHUTDOWN && phase == TriggerPhase.DURING) {
        closeEverything(deadline);
      }
      main()
          .driveUntil(
              () -> pending.get() == 0 || (event == SystemEvent.STARTUP && stopRequested),
              deadline);
      if (pending.get() > 0 && event == SystemEvent.SHUTDOWN) {
        LOG.log(
            Level.WARNING,
            "{0} {1} trigger(s) of phase {2} did not finish within the shutdown timeout {3}",
            pending.get(),
            event,
            phase,
            options.shutdownTimeout());
      }
    }
  }

  private void closeEverything(long deadline) {
    for (ListeningPort port : ports) {
      port.stopListening();
    }
    for (DatagramPort port : datagramPorts) {
      port.stopListening();
    }
    for (Loop loop : loops) {
      onLoop(
          loop,
          () -> {
            for (Connection connection : loop.connections()) {
              connection.closeForShutdown();
            }
          });
    }
    main().driveUntil(() -> liveConnections.get() == 0, deadline);
    if (liveConnections.get() > 0) {
      LOG.log(
          Level.WARNING,
          "{0} connection(s) did not flush within the shutdown timeout {1}; aborting them",
          liveConnections.get(),
          options.shutdownTimeout());
      for (Loop loop : loops) {
        onLoop(
            loop,
            () -> {
              for (Connection connection : loop.connections()) {
                connection.abort(
                    new ConnectionAborted(
                        "the reactor shut down before the connection flushed", null));
              }
            });
      }
      main()
          .driveUntil(
              () -> liveConnections.get() == 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
    processes.endAll(options.childProcesses(), main(), deadline);
    releaseWaitingCallers(); // before the pool waits for its workers: some may be waiting here
    pool.stop(deadline);
  }

  /** Runs {@code task} on {@code loop}: now if this is its thread, else queued. */
  private static void onLoop(Loop loop, Runnable task) {
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
    triggers.add(phase, event, trigger);
  }

  // ---------------------------------------------------------------- listen

  @Override
  public ListeningPort listenTCP(int port, String host, Factory<?> factory)
      throws CannotListenError {
    return listen(port, host, factory, null, 0);
  }

  @Override
  public ListeningPort listenTCP(int port, String host, Factory<?> factory, int backlog)
      throws CannotListenError {
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must not be negative: " + backlog);
    }
    return listen(port, host, factory, null, backlog);
  }

  @Override
  public ListeningPort listenSSL(int port, String host, Factory<?> factory, TlsServerOptions tls)
      throws CannotListenError {
    Objects.requireNonNull(tls, "tls");
    ListeningPort listening = listen(port, host, factory, tls, 0);
    if (tls.watchInterval() != null) {
      watchCertificates(listening, tls, tls.newestFileTime());
    }
    return listening;
  }

  /** Checks the certificate files of a TLS port now and then, off the reactor thread. */
  private void watchCertificates(ListeningPort listening, TlsServerOptions tls, Instant seen) {
    callLater(
        tls.watchInterval(),
        () -> {
          if (!ports.contains(listening)) {
            return;
          }
          deferToThread(() -> tls.reloadIfChanged(seen))
              .addCallback(
                  newest -> {
                    watchCertificates(listening, tls, newest == null ? seen : newest);
                    return null;
                  });
        });
  }

  private ListeningPort listen(
      int port, String host, Factory<?> factory, TlsServerOptions tls, int backlog)
      throws CannotListenError {
    checkPort(port);
    Objects.requireNonNull(factory, "factory");
    String method = tls == null ? "listenTCP" : "listenSSL";
    claimMainThread(method);
    requireNotStopping(method);
    String where = (host == null ? "*" : host) + ":" + port;
    InetSocketAddress address = bindAddress(host, port, where);
    Origin origin = new Origin(this, factory, null, tls, null);
    Acceptor acceptor = acceptor(origin);
    Port listening = new Port(this, factory, bind(address, where, acceptor, backlog));
    acquireFactory(factory);
    ports.add(listening);
    warnIfNeverRun();
    return listening;
  }

  /** Accepts connections for {@code origin}, dealt round-robin over the loops. */
  private Acceptor acceptor(Origin origin) {
    return new Acceptor() {
      @Override
      public Poller nextPoller() {
        return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size())).poller();
      }

      @Override
      public SocketEvents accepted() {
        return new Connection(origin);
      }

      @Override
      public void acceptFailed(Throwable error, boolean backingOff) {
        counters.acceptErrors.increment();
        if (backingOff) {
          counters.acceptBackoffs.increment();
        }
      }
    };
  }

  private static InetSocketAddress bindAddress(String host, int port, String where)
      throws CannotListenError {
    try {
      return host == null
          ? new InetSocketAddress(port)
          : new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new CannotListenError("cannot listen on " + where + ": unknown host " + host, e);
    }
  }

  /** The mode of a UNIX socket file when none is asked for: the owner and its group. */
  private static final Set<PosixFilePermission> UNIX_MODE =
      PosixFilePermissions.fromString("rw-rw----");

  @Override
  public UnixPort listenUNIX(Path path, Factory<?> factory, Set<PosixFilePermission> mode)
      throws CannotListenError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(factory, "factory");
    claimMainThread("listenUNIX");
    requireNotStopping("listenUNIX");
    Path file = path.toAbsolutePath();
    Origin origin = new Origin(this, factory, null, null, null);
    Acceptor acceptor = acceptor(origin);
    Object bound = // a refusal comes back as a value: a checked exception cannot cross onOwner
        main()
            .onOwner(
                () -> {
                  try {
                    UnixSocketFiles.clearStale(file);
                    ListenSocket socket = network.listenUnix(file, acceptor);
                    UnixSocketFiles.setMode(file, mode == null ? UNIX_MODE : mode);
                    return socket;
                  } catch (CannotListenError refused) {
                    return refused;
                  }
                });
    if (bound instanceof CannotListenError refused) {
      throw refused;
    }
    Port listening =
        new Port(this, factory, (ListenSocket) bound, () -> UnixSocketFiles.remove(file));
    acquireFactory(factory);
    ports.add(listening);
    warnIfNeverRun();
    return new UnixSocketPort(listening, file);
  }

  @Override
  public ListeningPort adoptStreamPort(int fileDescriptor, Factory<?> factory)
      throws CannotListenError {
    ListenSocket socket = adopt(fileDescriptor, false, factory, "adoptStreamPort");
    if (!(socket.address() instanceof InetSocketAddress)) {
      socket.close(() -> {});
      throw new CannotListenError(
          "file descriptor " + fileDescriptor + " is not a TCP socket: " + socket.address(), null);
    }
    Port listening = new Port(this, factory, socket);
    acquireFactory(factory);
    ports.add(listening);
    warnIfNeverRun();
    return listening;
  }

  @Override
  public UnixPort adoptUnixPort(int fileDescriptor, Factory<?> factory) throws CannotListenError {
    ListenSocket socket = adopt(fileDescriptor, true, factory, "adoptUnixPort");
    if (!(socket.address() instanceof UnixDomainSocketAddress address)) {
      socket.close(() -> {});
      throw new CannotListenError(
          "file descriptor " + fileDescriptor + " is not a UNIX socket: " + socket.address(), null);
    }
    Port listening = new Port(this, factory, socket); // the file is its maker's: it stays
    acquireFactory(factory);
    ports.add(listening);
    warnIfNeverRun();
    return new UnixSocketPort(listening, address.getPath());
  }

  private ListenSocket adopt(int fileDescriptor, boolean unix, Factory<?> factory, String method)
      throws CannotListenError {
    if (fileDescriptor < 0) {
      throw new IllegalArgumentException("not a file descriptor: " + fileDescriptor);
    }
    Objects.requireNonNull(factory, "factory");
    claimMainThread(method);
    requireNotStopping(method);
    Origin origin = new Origin(this, factory, null, null, null);
    Acceptor acceptor = acceptor(origin);
    Object adopted =
        main()
            .onOwner(
                () -> {
                  try {
                    return network.adopt(fileDescriptor, unix, acceptor);
                  } catch (CannotListenError refused) {
                    return refused;
                  }
                });
    if (adopted instanceof CannotListenError refused) {
      throw refused;
    }
    return (ListenSocket) adopted;
  }

  @Override
  public <P extends Protocol> Deferred<P> connectUNIX(Path path, Factory<P> factory) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(factory, "factory");
    Loop loop = claimThread("connectUNIX");
    requireNotStopping("connectUNIX");
    Deferred<P> connected = new Deferred<>();
    acquireFactory(factory);
    @SuppressWarnings("unchecked") // the connection fires it with the protocol the factory builds
    Deferred<Protocol> client = (Deferred<Protocol>) connected;
    Connection connection = new Connection(new Origin(this, factory, client, null, null));
    Path file = path.toAbsolutePath();
    try {
      loop.runOnOwner(
          () -> network.connectUnix(loop.poller(), file, options.connectTimeout(), connection));
    } catch (RuntimeException e) {
      connectFailed(
          connected, factory, new ConnectError("could not connect to " + file + ": " + e, e));
    }
    return connected;
  }

  @Override
  public DatagramTransport listenUDP(
      int port, String host, DatagramProtocol protocol, DatagramOptions options)
      throws CannotListenError {
    checkPort(port);
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(options, "options");
    claimMainThread("listenUDP");
    requireNotStopping("listenUDP");
    String where = (host == null ? "*" : host) + ":" + port;
    InetSocketAddress address = bindAddress(host, port, where);
    DatagramPort udp = new DatagramPort(this, main(), protocol, options.maxDatagramSize());
    Object bound = // a refusal comes back as a value: a checked exception cannot cross onOwner
        main()
            .onOwner(
                () -> {
                  try {
                    return network.bindDatagram(
                        main().poller(),
                        address,
                        where,
                        options.maxDatagramSize(),
                        options.reuseAddress(),
                        udp);
                  } catch (CannotListenError refused) {
                    return refused;
                  }
                });
    if (bound instanceof CannotListenError refused) {
      throw refused;
    }
    datagramPorts.add(udp);
    udp.bound((DatagramSocket) bound);
    return udp;
  }

  void datagramPortStopped(DatagramPort port) {
    datagramPorts.remove(port);
  }

  /** Binds on the main loop's owner thread (an inline body holding the loop hands it over). */
  private ListenSocket bind(InetSocketAddress address, String where, Acceptor acceptor, int backlog)
      throws CannotListenError {
    Object bound = // a refusal comes back as a value: a checked exception cannot cross onOwner
        main()
            .onOwner(
                () -> {
                  try {
                    return network.listen(address, where, acceptor, backlog);
                  } catch (CannotListenError refused) {
                    return refused;
                  }
                });
    if (bound instanceof CannotListenError refused) {
      throw refused;
    }
    return (ListenSocket) bound;
  }

  private static boolean isJvmMainThread(Thread thread) {
    ThreadGroup group = thread.getThreadGroup();
    return thread.getName().equals("main") && group != null && group.getName().equals("main");
  }

  /** How long a reactor may listen without running before it says so (a property, for tests). */
  private static long neverRunWarningMillis() {
    return Long.getLong("torsion.reactor.neverRunWarningMillis", 10_000L);
  }

  /** Forgetting run() must not be silent: ports that listen but never accept are a puzzle. */
  private void warnIfNeverRun() {
    if (state != State.NEW || neverRunCheckScheduled) {
      return;
    }
    neverRunCheckScheduled = true;
    long after = neverRunWarningMillis();
    CompletableFuture.delayedExecutor(after, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (state == State.NEW && !stopRequested && !ports.isEmpty()) {
                LOG.log(
                    Level.WARNING,
                    "{0}: {1} port(s) listening for {2} ms, but run() was never called, so no"
                        + " connection is accepted; call reactor.run() on the thread that set it up (or use"
                        + " BackgroundReactor)",
                    this,
                    ports.size(),
                    after);
              }
            });
  }

  void portStopped(ListeningPort port, Factory<?> factory) {
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
  public <P extends Protocol> Deferred<P> connectSSL(
      String host, int port, Factory<P> factory, TlsClientOptions tls) {
    return connectSSL(host, port, factory, tls, options.connectTimeout());
  }

  @Override
  public <P extends Protocol> Deferred<P> connectSSL(
      String host, int port, Factory<P> factory, TlsClientOptions tls, Duration timeout) {
    return connect(host, port, factory, timeout, Objects.requireNonNull(tls, "tls"));
  }

  @Override
  public <P extends Protocol> Deferred<P> connectTCP(
      String host, int port, Factory<P> factory, Duration timeout) {
    return connect(host, port, factory, timeout, null);
  }

  private <P extends Protocol> Deferred<P> connect(
      String host, int port, Factory<P> factory, Duration timeout, TlsClientOptions tls) {
    Objects.requireNonNull(host, "host");
    checkPort(port);
    Objects.requireNonNull(factory, "factory");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
    }
    // The connection lives on the caller's loop, so that the Deferred fires on the caller's thread.
    String method = tls == null ? "connectTCP" : "connectSSL";
    Loop loop = claimThread(method);
    requireNotStopping(method);
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
      startConnect(
          loop,
          new InetSocketAddress(address, port),
          destination,
          factory,
          timeout,
          connected,
          tls,
          host);
    } else {
      // Name lookups block: never on a reactor thread.
      RESOLVER.execute(
          () -> {
            InetAddress address;
            try {
              address = InetAddress.getByName(host);
            } catch (UnknownHostException | SecurityException e) {
              executeQuietly(
                  loop,
                  () ->
                      connectFailed(
                          connected,
                          factory,
                          new DNSLookupError(
                              "could not resolve host " + host + ": " + e.getMessage(), e)));
              return;
            }
            executeQuietly(
                loop,
                () ->
                    startConnect(
                        loop,
                        new InetSocketAddress(address, port),
                        destination,
                        factory,
                        timeout,
                        connected,
                        tls,
                        host));
          });
    }
    return connected;
  }

  private <P extends Protocol> void startConnect(
      Loop loop,
      InetSocketAddress address,
      String destination,
      Factory<P> factory,
      Duration timeout,
      Deferred<P> connected,
      TlsClientOptions tls,
      String host) {
    if (state == State.STOPPING || state == State.STOPPED) {
      connectFailed(
          connected, factory, new ConnectionAborted("the reactor is shutting down", null));
      return;
    }
    @SuppressWarnings("unchecked") // the connection fires it with the protocol the factory builds
    Deferred<Protocol> client = (Deferred<Protocol>) connected;
    Connection connection = new Connection(new Origin(this, factory, client, tls, host));
    try {
      loop.runOnOwner(
          () -> network.connect(loop.poller(), address, destination, timeout, connection));
    } catch (RuntimeException e) {
      connectFailed(
          connected,
          factory,
          new ConnectError("could not connect to " + destination + ": " + e, e));
    }
  }

  private static void executeQuietly(Loop loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException | IllegalStateException stopped) {
      LOG.log(Level.DEBUG, "reactor stopped before a connect could proceed");
    }
  }

  // ---------------------------------------------------------------- connections and factories

  void connectionOpened(Connection connection, Loop loop) {
    loop.addConnection(connection);
    liveConnections.incrementAndGet();
    counters.connectionsOpened.increment();
  }

  void connectionClosed(Connection connection, Loop loop, Factory<?> clientFactory) {
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

  private void acquireFactory(Factory<?> factory) {
    onLoop(main(), () -> factoryUsers.acquire(factory));
  }

  private void releaseFactory(Factory<?> factory) {
    onLoop(main(), () -> factoryUsers.release(factory));
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
    ThreadPoolExecutor resolvers =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "torsion-resolver-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    resolvers.allowCoreThreadTimeOut(true);
    return resolvers;
  }

  @Override
  public ReactorReport report() {
    return report;
  }

  @Override
  public ReactorStats stats() {
    ReactorCounters c = counters;
    return new ReactorStats(
        liveConnections.get(),
        c.bytesRead.sum(),
        c.bytesWritten.sum(),
        c.pausedForBackpressure.sum(),
        budget.charged(),
        budget.limit(),
        c.abortedOverBudget.sum(),
        c.allocationFailures.sum(),
        pool.queued(),
        pool.busy(),
        c.connectionsOpened.sum(),
        c.acceptErrors.sum(),
        c.acceptBackoffs.sum());
  }

  @Override
  public String toString() {
    return "Reactor["
        + name
        + ", "
        + state.name().toLowerCase(Locale.ROOT)
        + ", thread="
        + (main().owner() == null ? "none" : main().owner().getName())
        + ", threads="
        + loops.size()
        + ", connections="
        + liveConnections.get()
        + ", ports="
        + ports.size()
        + "]";
  }
}
