package io.torsion.testing.kit;

import io.torsion.Protocol;
import io.torsion.PushProducer;
import io.torsion.ReactorTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes {@code total} bytes in chunks as a push producer, as fast as the transport lets it:
 * pausing when told, resuming on the next turn, then closing. Counts its pauses and resumes and the
 * most output ever queued, for flow-control tests.
 */
public final class PausingWriter extends Protocol {
  /** The size of each write. */
  public static final int CHUNK = 16 * 1024;

  /** How often the transport paused it. */
  public final AtomicInteger pauses = new AtomicInteger();

  /** How often the transport resumed it. */
  public final AtomicInteger resumes = new AtomicInteger();

  /** The most output the transport ever held queued. */
  public final AtomicLong maxQueued = new AtomicLong();

  private final ReactorTime time;
  private final int total;
  private boolean paused;
  private int written;

  /** Creates a writer of {@code total} bytes; one per connection. */
  public PausingWriter(ReactorTime time, int total) {
    this.time = time;
    this.total = total;
  }

  @Override
  public void connectionMade() {
    transport()
        .registerProducer(
            new PushProducer() {
              @Override
              public void pauseProducing() {
                paused = true;
                pauses.incrementAndGet();
              }

              @Override
              public void resumeProducing() {
                paused = false;
                resumes.incrementAndGet();
                time.callLater(Duration.ZERO, () -> pump());
              }

              @Override
              public void stopProducing() {
                paused = true;
              }
            });
    pump();
  }

  private void pump() {
    byte[] piece = new byte[CHUNK];
    while (!paused && written < total) {
      transport().write(piece);
      written += CHUNK;
      maxQueued.accumulateAndGet(transport().bufferedBytes(), Math::max);
    }
    if (written == total && !paused) {
      transport().unregisterProducer();
      transport().loseConnection();
    }
  }
}
