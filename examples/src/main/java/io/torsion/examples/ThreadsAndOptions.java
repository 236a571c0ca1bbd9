package io.torsion.examples;

import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import java.time.Duration;

/** The reactor options of the user guide's tuning section, compiled. */
final class ThreadsAndOptions {
  private ThreadsAndOptions() {}

  /** A reactor with four event-loop threads, a bigger worker pool and tighter write buffers. */
  static Reactor tuned() {
    return Reactor.create(
        ReactorOptions.builder()
            .threads(4) // connections spread over 4 loops (SO_REUSEPORT on Linux)
            .threadPoolSize(32) // deferToThread's pool
            .writeBufferWatermarks(
                16 * 1024, 64 * 1024) // pause producers above 64 KiB, resume below 16 KiB
            .writeBufferLimit(8 * 1024 * 1024) // abort a peer that lets 8 MiB pile up
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  /** A reactor forced onto one transport: an error if it cannot run here, never a fallback. */
  static Reactor nio() {
    return Reactor.create(ReactorOptions.builder().transport("nio").build());
  }
}
