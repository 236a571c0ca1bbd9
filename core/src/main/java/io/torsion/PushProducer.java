package io.torsion;

/**
 * A source of data that pushes it at its own pace until told to pause: Twisted's {@code
 * IPushProducer}. Every {@link Transport} is one (pausing it stops reading from the socket).
 */
public interface PushProducer {
  /** Stops producing until {@link #resumeProducing()}; calling it again while paused is a no-op. */
  void pauseProducing();

  /** Resumes producing after {@link #pauseProducing()}; a no-op when not paused. */
  void resumeProducing();

  /** Stops producing for good; for a transport, aborts the connection. */
  void stopProducing();
}
