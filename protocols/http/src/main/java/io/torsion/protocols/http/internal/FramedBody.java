package io.torsion.protocols.http.internal;

import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.Transport;
import io.torsion.protocols.http.ResponseBody;
import java.nio.ByteBuffer;

/**
 * What a streamed body sent over a connection shares, a server's response or a client's request:
 * the declared length kept (a longer body is refused, a shorter one given up), producers passed on
 * to the transport, one end (finished or given up). A subclass frames the pieces and says what the
 * end means. Used on the reactor thread. Not API: the module does not export this package.
 */
public abstract class FramedBody implements ResponseBody {
  /** The connection's transport. */
  protected final Transport transport;

  private final long declared;
  private long written;
  private boolean producer;
  private boolean done;

  /** Creates the body of {@code declared} bytes on {@code transport}, -1 if not declared. */
  protected FramedBody(Transport transport, long declared) {
    this.transport = transport;
    this.declared = declared;
  }

  /** Writes one piece as the body's framing requires. */
  protected abstract void frame(ByteBuffer data);

  /** The body ended whole: write what ends its framing, and go on. */
  protected abstract void ended();

  /** The body was given up for {@code reason}. */
  protected abstract void gaveUp(String reason);

  /** Returns true while there is someone to write to; writes after are dropped. */
  protected boolean peerPresent() {
    return true;
  }

  @Override
  public final void write(ByteBuffer data) {
    requireOpen();
    int count = data.remaining();
    if (count == 0) {
      return;
    }
    if (!peerPresent()) {
      data.position(data.limit());
      return;
    }
    if (declared >= 0 && written + count > declared) {
      abort("the body is longer than its declared " + declared + " bytes");
      throw new IllegalStateException(
          "the body is longer than its declared " + declared + " bytes");
    }
    written += count;
    frame(data);
  }

  @Override
  public final void registerProducer(PushProducer push) {
    requireOpen();
    transport.registerProducer(push);
    producer = true;
  }

  @Override
  public final void registerProducer(PullProducer pull) {
    requireOpen();
    transport.registerProducer(pull);
    producer = true;
  }

  @Override
  public final void unregisterProducer() {
    if (producer) {
      producer = false;
      transport.unregisterProducer();
    }
  }

  @Override
  public final void finish() {
    requireOpen();
    if (declared >= 0 && written < declared) {
      abort("the body ended after " + written + " of its declared " + declared + " bytes");
      return;
    }
    done = true;
    unregisterProducer();
    ended();
  }

  @Override
  public final void abort(String reason) {
    if (done) {
      return;
    }
    done = true;
    unregisterProducer();
    gaveUp(reason);
  }

  @Override
  public final boolean isOpen() {
    return !done && peerPresent();
  }

  /** Returns how many body bytes were written. */
  public final long written() {
    return written;
  }

  /**
   * Ends the body without a word: nothing more is written, what is still written is refused; {@code
   * connectionGone} when the transport forgot its producer itself.
   */
  public final void stop(boolean connectionGone) {
    if (connectionGone) {
      producer = false;
    } else {
      unregisterProducer();
    }
    done = true;
  }

  private void requireOpen() {
    if (done) {
      throw new IllegalStateException("the body has ended");
    }
  }
}
