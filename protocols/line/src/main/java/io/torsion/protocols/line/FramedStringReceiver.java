package io.torsion.protocols.line;

import io.torsion.Protocol;
import io.torsion.PushProducer;
import java.nio.ByteBuffer;

/**
 * What {@link NetstringReceiver} and {@link IntNStringReceiver} share: the bytes received and not
 * yet framed, and their delivery one string at a time through a {@link MessagePump} (held while
 * paused, stopped once the transport is closing). A subclass frames and delivers one string per
 * {@link #deliverOne()}, and calls {@link #stop()} when the framing is broken for good.
 */
abstract class FramedStringReceiver extends Protocol implements PushProducer {
  final ByteAccumulator buffer = new ByteAccumulator();
  private final MessagePump pump = new MessagePump(this, this::deliverOne);
  private boolean stopped;

  FramedStringReceiver() {}

  /** Delivers one complete string from {@link #buffer}; returns false when none is complete. */
  abstract boolean deliverOne();

  /** Drops what is buffered and delivers nothing more: the framing is broken. */
  final void stop() {
    stopped = true;
    buffer.takeAll();
  }

  /** Returns true once {@link #stop()} was called. */
  final boolean stopped() {
    return stopped;
  }

  @Override
  public final void dataReceived(ByteBuffer data) {
    if (stopped) {
      return;
    }
    buffer.append(data);
    pump.pump();
  }

  /** Stops delivering strings (and reading) until {@link #resumeProducing()}. */
  @Override
  public void pauseProducing() {
    pump.pause();
  }

  /** Delivers the strings held while paused, then reads again. */
  @Override
  public void resumeProducing() {
    pump.resume();
  }

  /** Closes the connection now. */
  @Override
  public void stopProducing() {
    transport().abortConnection();
  }
}
