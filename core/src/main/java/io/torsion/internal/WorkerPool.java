package io.torsion.internal;

import io.torsion.CancelledError;
import io.torsion.Deferred;
import io.torsion.Failure;
import io.torsion.Reactor;
import io.torsion.ReactorThreads.OnCancel;
import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
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
  private final Executor external; // the user's executor, or null for the pool

  WorkerPool(int size, Executor external) {
    this.size = size;
    this.external = external;
  }

  /** Says what runs blocking work, for the reactor's report. */
  String describe() {
    return external != null
        ? "workers: " + external.getClass().getSimpleName() + " (ReactorOptions.workerExecutor)"
        : "workers: a pool of up to " + size + " threads (ReactorOptions.threadPoolSize)";
  }

  /**
   * Runs {@code work} on a worker; its outcome fires the Deferred on {@code loop}. Cancelling the
   * Deferred keeps queued work from starting and, with {@link OnCancel#INTERRUPT}, interrupts
   * running work; the late outcome of cancelled work is dropped.
   */
  <T> Deferred<T> defer(Callable<? extends T> work, Loop loop, OnCancel onCancel) {
    Job<T> job = new Job<>(work, loop);
    Deferred<T> result =
        new Deferred<>(
            cancelled -> {
              if (job.cancel(onCancel == OnCancel.INTERRUPT)) {
                ThreadPoolExecutor queue = currentPool();
                if (queue != null) {
                  queue.remove(job); // queued: it frees its place at once
                }
              }
            });
    job.result = result;
    try {
      executor().execute(job);
    } catch (RejectedExecutionException stopped) {
      result.errback(new CancelledError("the reactor's worker pool has stopped"));
    }
    return result;
  }

  /** Runs {@code work} on a worker; what it throws is logged. */
  void call(Runnable work) {
    executor().execute(() -> Contained.run(work, "a callInThread task"));
  }

  /** Returns the work waiting for a pool thread now. */
  synchronized long queued() {
    return pool == null ? 0 : pool.getQueue().size();
  }

  /** Returns the pool threads running work now. */
  synchronized long busy() {
    return pool == null ? 0 : pool.getActiveCount();
  }

  private synchronized ThreadPoolExecutor currentPool() {
    return pool;
  }

  private Executor executor() {
    if (external != null) {
      synchronized (this) {
        if (stopped) {
          throw new RejectedExecutionException("the reactor has stopped");
        }
      }
      return external;
    }
    return pool();
  }

  /**
   * One piece of blocking work: runs unless cancelled first, remembers its thread while it runs so
   * that a cancellation can interrupt it, and fires its Deferred on the loop unless cancelled.
   */
  private static final class Job<T> implements Runnable {
    private final Callable<? extends T> work;
    private final Loop loop;
    Deferred<T> result; // set before the job is submitted; read on the loop only
    private Thread running; // guarded by this
    private boolean cancelled; // guarded by this
    private boolean done; // guarded by this

    Job(Callable<? extends T> work, Loop loop) {
      this.work = work;
      this.loop = loop;
    }

    /** Cancels; returns true if the work had not started (so it never will). */
    synchronized boolean cancel(boolean interrupt) {
      if (done) {
        return false;
      }
      cancelled = true;
      if (running != null) {
        if (interrupt) {
          running.interrupt();
        }
        return false;
      }
      return true;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (cancelled) {
          return;
        }
        running = Thread.currentThread();
      }
      Object outcome;
      try {
        outcome = work.call();
      } catch (Throwable error) {
        Failure.rethrowIfFatal(error);
        outcome = Failure.of(error);
      } finally {
        synchronized (this) {
          running = null;
          done = true;
          Thread.interrupted(); // an interrupt meant for this work does not outlive it
        }
      }
      Object fired = outcome;
      postQuietly(loop, () -> deliver(fired));
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object outcome) {
      if (result.called()) {
        return; // cancelled meanwhile: the late outcome is dropped
      }
      if (outcome instanceof Failure failure) {
        result.errback(failure.value());
      } else {
        result.callback((T) outcome);
      }
    }
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
      if (external != null) {
        stopped = true; // the user's executor is the user's to shut down
        return;
      }
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
