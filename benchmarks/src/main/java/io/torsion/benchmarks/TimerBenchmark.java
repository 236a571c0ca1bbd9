package io.torsion.benchmarks;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.torsion.DelayedCall;
import io.torsion.spi.TimerQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One million timers at random delays (up to a minute): scheduled, every other one cancelled, then
 * the rest cancelled too, on the reactor's {@code callLater} queue ({@link TimerQueue}) and, as the
 * same-run baseline, on Netty's event-loop scheduler (the work submitted as one task, so both run
 * on one thread). Netty's timers run on wall time only, so the like-for-like comparison cancels;
 * {@link #torsionCallLaterAndRun} shows the cost of running the rest instead, on a manual clock.
 * One operation = one million timers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class TimerBenchmark {
  private static final int TIMERS = 1_000_000;
  private long[] delaysNanos;
  private DefaultEventExecutor netty;

  @Setup
  public void setUp() {
    Random random = new Random(1);
    delaysNanos = new long[TIMERS];
    for (int i = 0; i < TIMERS; i++) {
      delaysNanos[i] = 1 + (long) (random.nextDouble() * TimeUnit.MINUTES.toNanos(1));
    }
    netty = new DefaultEventExecutor();
  }

  @TearDown
  public void tearDown() {
    netty.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Benchmark
  public int torsionCallLater() {
    TimerQueue queue = new TimerQueue(() -> 0L, error -> {});
    List<DelayedCall> calls = new ArrayList<>(TIMERS);
    int[] ran = {0};
    for (long delay : delaysNanos) {
      calls.add(queue.schedule(Duration.ofNanos(delay), () -> ran[0]++));
    }
    for (int i = 0; i < TIMERS; i += 2) {
      calls.get(i).cancel();
    }
    int left = 0;
    for (DelayedCall call : calls) {
      if (call.active()) {
        call.cancel();
        left++;
      }
    }
    return left + queue.size();
  }

  @Benchmark
  public int torsionCallLaterAndRun() {
    long[] now = {0};
    int[] ran = {0};
    TimerQueue queue = new TimerQueue(() -> now[0], error -> {});
    List<DelayedCall> calls = new ArrayList<>(TIMERS);
    for (long delay : delaysNanos) {
      calls.add(queue.schedule(Duration.ofNanos(delay), () -> ran[0]++));
    }
    for (int i = 0; i < TIMERS; i += 2) {
      calls.get(i).cancel();
    }
    now[0] = TimeUnit.MINUTES.toNanos(2);
    queue.runDue(now[0]);
    return ran[0];
  }

  @Benchmark
  public int nettySchedule() throws Exception {
    Callable<Integer> work =
        () -> {
          int[] ran = {0};
          List<ScheduledFuture<?>> futures = new ArrayList<>(TIMERS);
          for (long delay : delaysNanos) {
            futures.add(netty.schedule(() -> ran[0]++, delay, TimeUnit.NANOSECONDS));
          }
          for (int i = 0; i < TIMERS; i += 2) {
            futures.get(i).cancel(false);
          }
          int left = 0;
          for (ScheduledFuture<?> future : futures) {
            if (!future.isCancelled()) {
              future.cancel(false);
              left++;
            }
          }
          return left;
        };
    return netty.submit(work).get();
  }
}
