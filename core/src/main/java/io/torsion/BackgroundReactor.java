package io.torsion;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link Reactor} on a thread of its own, so that a test (or an application that has other
 * work for its main thread) can drive it from outside: set it up with {@link #call}, talk to it
 * over sockets, and {@link #close()} it.
 *
 * <pre>{@code
 * try (BackgroundReactor background = BackgroundReactor.start(Reactor.create())) {
 *     int port = background.call(() ->
 *         background.reactor().listenTCP(0, "127.0.0.1", Factory.of(Echo::new)).port());
 *     // connect to 127.0.0.1:port with a plain socket ...
 * }
 * }</pre>
 */
public final class BackgroundReactor implements AutoCloseable {
  /** How long {@link #call} and {@link #close()} wait before giving up. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Reactor reactor;
  private final Thread thread;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  private BackgroundReactor(Reactor reactor) {
    this.reactor = reactor;
    this.thread = new Thread(this::runReactor, "torsion-reactor");
  }

  /**
   * Starts {@code reactor} on a new thread named {@code torsion-reactor} and waits until it runs.
   * If {@code run()} fails at once (say, because another thread set the reactor up), that error is
   * thrown here.
   */
  public static BackgroundReactor start(Reactor reactor) {
    BackgroundReactor background =
        new BackgroundReactor(Objects.requireNonNull(reactor, "reactor"));
    CompletableFuture<Void> running = new CompletableFuture<>();
    reactor.callFromThread(() -> running.complete(null));
    background.thread.start();
    try {
      CompletableFuture.anyOf(running, background.stopped)
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw BackgroundReactor.<RuntimeException>rethrow(e.getCause());
    } catch (CancellationException e) {
      // one the task threw: Java 23+ wraps it in another
      throw e.getCause() instanceof CancellationException thrown ? thrown : e;
    } catch (TimeoutException e) {
      throw new IllegalStateException("the reactor did not start within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the reactor", e);
    }
    if (!running.isDone()) {
      throw new IllegalStateException("the reactor's run() returned before it ran anything");
    }
    return background;
  }

  /** Returns the reactor. */
  public Reactor reactor() {
    return reactor;
  }

  /** Returns the reactor's thread. */
  public Thread thread() {
    return thread;
  }

  /**
   * Runs {@code task} on the reactor thread and returns its result, waiting at most {@link
   * #TIMEOUT}. What the task throws is rethrown here unchanged, checked exceptions included, so
   * that a test can assert on it.
   */
  public <T> T call(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    reactor.callFromThread(
        () -> {
          try {
            result.complete(task.call());
          } catch (Throwable error) {
            result.completeExceptionally(error);
          }
        });
    try {
      return result.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw BackgroundReactor.<RuntimeException>rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the reactor did not run the task within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the reactor", e);
    }
  }

  /** Runs {@code task} on the reactor thread and waits for it. */
  public void execute(Runnable task) {
    call(
        () -> {
          task.run();
          return null;
        });
  }

  /** Returns a future that completes when {@link Reactor#run()} has returned. */
  public CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Stops the reactor and waits, at most {@link #TIMEOUT}, for it to finish shutting down. */
  @Override
  public void close() {
    reactor.stop();
    try {
      stopped.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the reactor", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the reactor failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the reactor did not stop within " + TIMEOUT, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable error) throws E {
    throw (E) error;
  }

  private void runReactor() {
    try {
      reactor.run();
      stopped.complete(null);
    } catch (Throwable error) {
      stopped.completeExceptionally(error);
    }
  }

  @Override
  public String toString() {
    return "BackgroundReactor[" + reactor + "]";
  }
}
