package io.torsion.internal;

import io.torsion.CancelledError;
import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.Reactor;
import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reactor's pool for blocking work ({@code deferToThread}, {@code callInThread}): made on first
 * use, daemon threads that time out when idle, stopped at shutdown. Threads: any; the pool and its
 * size are guarded by {@code this}.
 */
final class WorkerPool {
  private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

  private ThreadPoolExecutor pool; // guarded by this
  private int size; // guarded by this
  private boolean stopped; // guarded by this

  WorkerPool(int size) {
    this.size = size;
  }

  /** Runs {@code work} on the pool; its outcome fires the Deferred on {@code loop}. */
  <T> Deferred<T> defer(Callable<? extends T> work, Loop loop) {
    Deferred<T> result = new Deferred<>();
    try {
      pool()
          .execute(
              () -> {
                T value;
                try {
                  value = work.call();
                } catch (Throwable error) {
                  Failure.rethrowIfFatal(error);
                  postQuietly(loop, () -> result.errback(error));
                  return;
                }
                postQuietly(loop, () -> result.callback(value));
              });
    } catch (RejectedExecutionException stopped) {
      result.errback(new CancelledError("the reactor's worker pool has stopped"));
    }
    return result;
  }

  /** Runs {@code work} on the pool; what it throws is logged. */
  void call(Runnable work) {
    pool().execute(() -> Contained.run(work, "a callInThread task"));
  }

  synchronized void resize(int newSize) {
    size = newSize;
    if (pool != null) {
      if (newSize > pool.getMaximumPoolSize()) {
        pool.setMaximumPoolSize(newSize);
        pool.setCorePoolSize(newSize);
      } else {
        pool.setCorePoolSize(newSize);
        pool.setMaximumPoolSize(newSize);
      }
    }
  }

  private synchronized ThreadPoolExecutor pool() {
    if (pool == null) {
      if (stopped) {
        throw new RejectedExecutionException("the reactor has stopped");
      }
      AtomicInteger count = new AtomicInteger();
      pool =
          new ThreadPoolExecutor(
              size,
              size,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              task -> {
                Thread thread = new Thread(task, "torsion-pool-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      pool.allowCoreThreadTimeOut(true);
    }
    return pool;
  }

  /**
   * Stops the pool, waiting for running tasks until {@code deadline} (System.nanoTime), then
   * interrupting them.
   */
  void stop(long deadline) {
    ThreadPoolExecutor running;
    synchronized (this) {
      stopped = true;
      running = pool;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      long wait = Math.max(0, deadline - System.nanoTime());
      if (!running.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
        LOG.log(
            Level.WARNING,
            "worker pool tasks did not finish within the shutdown timeout; interrupting them");
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void postQuietly(Loop loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (RuntimeException stopped) {
      LOG.log(Level.DEBUG, "a worker result arrived after the reactor stopped");
    }
  }
}
