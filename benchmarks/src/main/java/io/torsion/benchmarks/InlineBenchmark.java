package io.torsion.benchmarks;

import static io.torsion.Inline.await;

import io.torsion.Deferred;
import io.torsion.Inline;
import io.torsion.Reactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the sequential style costs: an inline body ({@link Inline}) that awaits ten Deferreds,
 * against the same ten steps as a plain callback chain ({@code addCallbackDeferred}), in the same
 * run. The benchmark thread is the reactor thread (it owns the reactor's loop before {@code run()},
 * as a test's does). Three shapes: each awaited Deferred fires after the body waits for it (a
 * suspension and a resumption each: two thread hand-offs), each already has its result (no
 * suspension), and a body that returns at once (the cost of starting one: its thread). Run on Java
 * 17 (platform threads) and 21+ (virtual threads) to compare.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InlineBenchmark {
  private static final int AWAITS = 10;

  private Reactor reactor;

  @Setup(Level.Trial)
  public void setUp() {
    reactor = Reactor.create();
    reactor.callLater(java.time.Duration.ofDays(1), () -> {}); // this thread owns the loop now
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reactor.stop();
  }

  @Benchmark
  public Integer inlineAwaitsPending() {
    @SuppressWarnings("unchecked")
    Deferred<Integer>[] gates = new Deferred[AWAITS];
    for (int i = 0; i < AWAITS; i++) {
      gates[i] = new Deferred<>();
    }
    Deferred<Integer> body =
        Inline.run(
            reactor,
            () -> {
              int sum = 0;
              for (Deferred<Integer> gate : gates) {
                sum += await(gate);
              }
              return sum;
            });
    for (Deferred<Integer> gate : gates) {
      gate.callback(1);
    }
    return resultOf(body);
  }

  @Benchmark
  public Integer chainWaitsPending() {
    @SuppressWarnings("unchecked")
    Deferred<Integer>[] gates = new Deferred[AWAITS];
    Deferred<Integer> chain = Deferred.succeed(0);
    for (int i = 0; i < AWAITS; i++) {
      Deferred<Integer> gate = new Deferred<>();
      gates[i] = gate;
      chain = chain.addCallbackDeferred(sum -> gate.addCallback(v -> sum + v));
    }
    for (Deferred<Integer> gate : gates) {
      gate.callback(1);
    }
    return resultOf(chain);
  }

  @Benchmark
  public Integer inlineAwaitsFired() {
    return resultOf(
        Inline.run(
            reactor,
            () -> {
              int sum = 0;
              for (int i = 0; i < AWAITS; i++) {
                sum += await(Deferred.succeed(1));
              }
              return sum;
            }));
  }

  @Benchmark
  public Integer chainOfFired() {
    Deferred<Integer> chain = Deferred.succeed(0);
    for (int i = 0; i < AWAITS; i++) {
      chain = chain.addCallbackDeferred(sum -> Deferred.succeed(1).addCallback(v -> sum + v));
    }
    return resultOf(chain);
  }

  @Benchmark
  public Integer inlineReturnsAtOnce() {
    return resultOf(Inline.run(reactor, () -> 1));
  }

  private static Integer resultOf(Deferred<Integer> d) {
    Integer[] out = new Integer[1];
    d.addCallback(v -> out[0] = v);
    if (out[0] == null) {
      throw new IllegalStateException("not fired: " + d);
    }
    return out[0];
  }
}
