package io.torsion.protocols.http;

import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.Transport;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The {@link ResponseBody} of one streamed response: frames what is written (chunks, or bytes
 * within the declared length, or bytes until the close for HTTP/1.0), passes producers on to the
 * transport, and tells the connection when the body is done.
 */
final class ResponseStream implements ResponseBody {
  private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());

  /** What the connection hears of the stream. */
  interface Owner {
    /** The body ended well; the next response may go. */
    void finished(ResponseStream stream);

    /** The body was given up; the connection must be aborted. */
    void aborted(ResponseStream stream, String reason);

    /** Returns true while the client is connected. */
    boolean connected();
  }

  private final Owner owner;
  private final Transport transport;
  private final ResponseEncoder encoder;
  private final boolean chunked;
  private final long declared;
  private long written;
  private boolean producer;
  private boolean done;

  ResponseStream(
      Owner owner, Transport transport, ResponseEncoder encoder, boolean chunked, long declared) {
    this.owner = owner;
    this.transport = transport;
    this.encoder = encoder;
    this.chunked = chunked;
    this.declared = declared;
  }

  @Override
  public void write(ByteBuffer data) {
    if (done) {
      throw new IllegalStateException("the response body has ended");
    }
    int count = data.remaining();
    if (count == 0) {
      return;
    }
    if (!owner.connected()) {
      data.position(data.limit());
      return;
    }
    if (declared >= 0 && written + count > declared) {
      abort("the body is longer than its declared " + declared + " bytes");
      throw new IllegalStateException(
          "the body is longer than its declared " + declared + " bytes");
    }
    written += count;
    if (chunked) {
      encoder.writeChunk(transport, data);
    } else {
      encoder.writeRaw(transport, data);
    }
  }

  @Override
  public void registerProducer(PushProducer push) {
    requireOpen();
    transport.registerProducer(push);
    producer = true;
  }

  @Override
  public void registerProducer(PullProducer pull) {
    requireOpen();
    transport.registerProducer(pull);
    producer = true;
  }

  @Override
  public void unregisterProducer() {
    if (producer) {
      producer = false;
      transport.unregisterProducer();
    }
  }

  @Override
  public void finish() {
    if (done) {
      throw new IllegalStateException("the response body has ended");
    }
    if (declared >= 0 && written < declared) {
      abort("the body ended after " + written + " of its declared " + declared + " bytes");
      return;
    }
    done = true;
    unregisterProducer();
    if (chunked && owner.connected()) {
      encoder.writeLastChunk(transport);
    }
    owner.finished(this);
  }

  @Override
  public void abort(String reason) {
    if (done) {
      return;
    }
    done = true;
    unregisterProducer();
    if (owner.connected()) {
      LOG.log(Level.WARNING, "{0}: response aborted: {1}", transport.getPeer(), reason);
    }
    owner.aborted(this, reason);
  }

  @Override
  public boolean isOpen() {
    return !done && owner.connected();
  }

  /**
   * The connection gives the response up (its request was refused): nothing more is written, and
   * what the handler still writes is dropped as if the client had gone.
   */
  void cancel() {
    if (!done) {
      unregisterProducer();
      done = true;
    }
  }

  /** Returns how many body bytes were written. */
  long written() {
    return written;
  }

  /** The connection went away: nothing more will be written. */
  void closed() {
    done = true;
    producer = false; // the transport stops and forgets its producer itself
  }

  private void requireOpen() {
    if (done) {
      throw new IllegalStateException("the response body has ended");
    }
  }

  @Override
  public String toString() {
    return "ResponseBody["
        + written
        + (declared >= 0 ? " of " + declared : "")
        + " bytes"
        + (done ? ", done" : "")
        + "]";
  }
}
