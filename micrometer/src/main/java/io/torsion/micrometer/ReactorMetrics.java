package io.torsion.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.torsion.Reactor;
import io.torsion.ReactorStats;
import io.torsion.protocols.policies.ConnectionLimits;
import io.torsion.protocols.policies.IdleTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a reactor's counters ({@link Reactor#stats()}, read when the registry asks, from any
 * thread) and the loop's latency, measured by a probe on the reactor: a timed call every {@link
 * Builder#latencyProbe second}, and how late it ran. The meters, all tagged with the {@link
 * Builder#tags tags} given:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <thead><tr><th>name</th><th>kind</th><th>what</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code torsion.connections.open}</td><td>gauge</td><td>connections open now</td></tr>
 *     <tr><td>{@code torsion.connections.opened}</td><td>counter</td><td>accepted and connected
 *         since start</td></tr>
 *     <tr><td>{@code torsion.connections.refused} ({@code port} tag)</td><td>counter</td><td>refused
 *         by a {@link ConnectionLimits} given to {@link Builder#limits}</td></tr>
 *     <tr><td>{@code torsion.connections.timed.out} ({@code port} tag)</td><td>counter</td><td>closed
 *         by an {@link IdleTimeout} given to {@link Builder#idleTimeout}</td></tr>
 *     <tr><td>{@code torsion.connections.paused}</td><td>counter</td><td>times reading paused
 *         because output was backed up</td></tr>
 *     <tr><td>{@code torsion.connections.aborted} ({@code reason} tag)</td><td>counter</td><td>aborted
 *         over the output budget, or for want of memory</td></tr>
 *     <tr><td>{@code torsion.bytes.read}, {@code torsion.bytes.written}</td><td>counter</td><td>bytes
 *         </td></tr>
 *     <tr><td>{@code torsion.output.queued}, {@code torsion.output.budget}</td><td>gauge</td><td>bytes
 *         queued for output now, and the budget</td></tr>
 *     <tr><td>{@code torsion.accept.errors}, {@code torsion.accept.backoffs}</td><td>counter</td>
 *         <td>failed accepts (EMFILE), and the pauses they caused</td></tr>
 *     <tr><td>{@code torsion.workers.queued}, {@code torsion.workers.busy}</td><td>gauge</td><td>the
 *         worker pool</td></tr>
 *     <tr><td>{@code torsion.reactor.loop.latency}</td><td>timer</td><td>how late the probe's timed
 *         call ran: callbacks that hold the loop show here</td></tr>
 *   </tbody>
 * </table>
 *
 * <pre>{@code
 * ReactorMetrics.builder(reactor).limits("line", limits).build().bindTo(registry);
 * }</pre>
 */
public final class ReactorMetrics implements MeterBinder {
  private final Reactor reactor;
  private final Tags tags;
  private final Duration probeEvery;
  private final List<Named<ConnectionLimits>> limits;
  private final List<Named<IdleTimeout>> timeouts;

  private ReactorMetrics(Builder builder) {
    this.reactor = builder.reactor;
    this.tags = builder.tags;
    this.probeEvery = builder.probeEvery;
    this.limits = List.copyOf(builder.limits);
    this.timeouts = List.copyOf(builder.timeouts);
  }

  /** Returns a builder for {@code reactor}'s metrics. */
  public static Builder builder(Reactor reactor) {
    return new Builder(Objects.requireNonNull(reactor, "reactor"));
  }

  /**
   * Registers the meters in {@code registry} and starts the latency probe (on the reactor thread,
   * from any thread); the probe stops with the reactor.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "torsion.connections.open", "connections open now", s -> s.openConnections());
    counter(
        registry,
        "torsion.connections.opened",
        "connections opened, accepted and connected",
        ReactorStats::connectionsOpened,
        Tags.empty());
    counter(
        registry,
        "torsion.connections.paused",
        "times reading paused for output backed up",
        ReactorStats::pausedForBackpressure,
        Tags.empty());
    counter(
        registry,
        "torsion.connections.aborted",
        "connections aborted",
        ReactorStats::abortedOverBudget,
        Tags.of("reason", "output-budget"));
    counter(
        registry,
        "torsion.connections.aborted",
        "connections aborted",
        ReactorStats::allocationFailures,
        Tags.of("reason", "out-of-memory"));
    byteCounter(registry, "torsion.bytes.read", "bytes read", ReactorStats::bytesRead);
    byteCounter(registry, "torsion.bytes.written", "bytes written", ReactorStats::bytesWritten);
    Gauge.builder("torsion.output.queued", reactor, r -> r.stats().outputQueued())
        .description("bytes queued for output now")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    Gauge.builder("torsion.output.budget", reactor, r -> r.stats().outputBudget())
        .description("the output budget")
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
    counter(
        registry,
        "torsion.accept.errors",
        "failed accepts (EMFILE and others)",
        ReactorStats::acceptErrors,
        Tags.empty());
    counter(
        registry,
        "torsion.accept.backoffs",
        "pauses of accepting after a failure",
        ReactorStats::acceptBackoffs,
        Tags.empty());
    gauge(
        registry,
        "torsion.workers.queued",
        "blocking work waiting for a pool thread",
        s -> s.queuedWork());
    gauge(registry, "torsion.workers.busy", "pool threads running work", s -> s.busyWorkers());
    for (Named<ConnectionLimits> named : limits) {
      FunctionCounter.builder("torsion.connections.refused", named.value, l -> l.refused())
          .description("connections refused by the limits")
          .tags(tags.and(Tag.of("port", named.name)))
          .register(registry);
    }
    for (Named<IdleTimeout> named : timeouts) {
      FunctionCounter.builder("torsion.connections.timed.out", named.value, t -> t.timedOut())
          .description("connections closed by the idle timeout")
          .tags(tags.and(Tag.of("port", named.name)))
          .register(registry);
    }
    Timer latency =
        Timer.builder("torsion.reactor.loop.latency")
            .description("how late a timed call on the reactor ran")
            .tags(tags)
            .register(registry);
    reactor.callFromThread(() -> probe(latency));
  }

  private void probe(Timer latency) {
    long due = reactor.nanoTime() + probeEvery.toNanos();
    reactor.callLater(
        probeEvery,
        () -> {
          latency.record(Math.max(0, reactor.nanoTime() - due), TimeUnit.NANOSECONDS);
          probe(latency);
        });
  }

  private void gauge(
      MeterRegistry registry, String name, String description, ToDoubleFunction<ReactorStats> f) {
    Gauge.builder(name, reactor, r -> f.applyAsDouble(r.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<ReactorStats> f,
      Tags more) {
    FunctionCounter.builder(name, reactor, r -> f.applyAsDouble(r.stats()))
        .description(description)
        .tags(tags.and(more))
        .register(registry);
  }

  private void byteCounter(
      MeterRegistry registry, String name, String description, ToDoubleFunction<ReactorStats> f) {
    FunctionCounter.builder(name, reactor, r -> f.applyAsDouble(r.stats()))
        .description(description)
        .baseUnit("bytes")
        .tags(tags)
        .register(registry);
  }

  private record Named<T>(String name, T value) {}

  /** Builds {@link ReactorMetrics}. */
  public static final class Builder {
    private final Reactor reactor;
    private Tags tags = Tags.empty();
    private Duration probeEvery = Duration.ofSeconds(1);
    private final List<Named<ConnectionLimits>> limits = new ArrayList<>();
    private final List<Named<IdleTimeout>> timeouts = new ArrayList<>();

    private Builder(Reactor reactor) {
      this.reactor = reactor;
    }

    /** Tags every meter ({@code "service", "demo"}). */
    public Builder tags(String... keysAndValues) {
      this.tags = Tags.of(keysAndValues);
      return this;
    }

    /** Counts the refusals of {@code limits}, tagged {@code port=name}. */
    public Builder limits(String name, ConnectionLimits limits) {
      this.limits.add(new Named<>(name, Objects.requireNonNull(limits, "limits")));
      return this;
    }

    /** Counts the timeouts of {@code timeout}, tagged {@code port=name}. */
    public Builder idleTimeout(String name, IdleTimeout timeout) {
      this.timeouts.add(new Named<>(name, Objects.requireNonNull(timeout, "timeout")));
      return this;
    }

    /** Sets how often the latency probe runs (default every second). */
    public Builder latencyProbe(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("the probe's interval must be positive");
      }
      this.probeEvery = every;
      return this;
    }

    /** Returns the metrics, to {@link #bindTo} a registry. */
    public ReactorMetrics build() {
      return new ReactorMetrics(this);
    }
  }
}
