package io.torsion.benchmarks;

import io.torsion.Deferred;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A chain of ten callbacks, attached before the result arrives and then fired (the usual case: a
 * request's continuation waits for I/O), on Torsion's {@link Deferred} and, as the same-run
 * baseline, on {@link CompletableFuture} with {@code thenApply}. One operation = one chain built
 * and fired; a failure recovered at the end in both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeferredBenchmark {
  private static final int LINKS = 10;

  @Benchmark
  public Integer torsionDeferred() {
    Deferred<Integer> start = new Deferred<>();
    Deferred<Integer> chain = start;
    for (int i = 0; i < LINKS; i++) {
      chain = chain.addCallback(value -> value + 1);
    }
    Integer[] out = new Integer[1];
    chain.addErrback(failure -> -1).addCallback(value -> out[0] = value);
    start.callback(0);
    return out[0];
  }

  @Benchmark
  public Integer completableFuture() {
    CompletableFuture<Integer> start = new CompletableFuture<>();
    CompletableFuture<Integer> chain = start;
    for (int i = 0; i < LINKS; i++) {
      chain = chain.thenApply(value -> value + 1);
    }
    CompletableFuture<Integer> end = chain.exceptionally(error -> -1);
    start.complete(0);
    return end.join();
  }
}
