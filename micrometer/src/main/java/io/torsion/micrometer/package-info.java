/**
 * Torsion's figures through Micrometer: {@link io.torsion.micrometer.ReactorMetrics} (a reactor's
 * connections, bytes, back-pressure pauses, output budget, accept errors and back-offs, worker
 * pool, loop latency, and the refusals and timeouts of the policies given to it) and {@link
 * io.torsion.micrometer.HttpServerMetrics} (an HTTP server's requests by status class, their
 * durations, those in flight). Any Micrometer registry publishes them; Prometheus's renders them as
 * its text format for a {@code /metrics} route.
 */
package io.torsion.micrometer;
