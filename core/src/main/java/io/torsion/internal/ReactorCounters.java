package io.torsion.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link io.torsion.ReactorStats}: cheap to bump from every loop. */
final class ReactorCounters {
  final LongAdder bytesRead = new LongAdder();
  final LongAdder bytesWritten = new LongAdder();
  final LongAdder pausedForBackpressure = new LongAdder();
  final LongAdder abortedOverBudget = new LongAdder();
  final LongAdder allocationFailures = new LongAdder();
  final LongAdder connectionsOpened = new LongAdder();
  final LongAdder acceptErrors = new LongAdder();
  final LongAdder acceptBackoffs = new LongAdder();
}
