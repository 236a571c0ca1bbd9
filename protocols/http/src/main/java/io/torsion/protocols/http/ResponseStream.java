package io.torsion.protocols.http;

import io.torsion.Transport;
import io.torsion.protocols.http.internal.FramedBody;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The {@link ResponseBody} of one streamed response: frames what is written (chunks, or bytes
 * within the declared length, or bytes until the close for HTTP/1.0), passes producers on to the
 * transport, and tells the connection when the body is done.
 */
final class ResponseStream extends FramedBody {
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
  private final ResponseEncoder encoder;
  private final boolean chunked; // else bytes within the declared length, or until the close

  ResponseStream(
      Owner owner, Transport transport, ResponseEncoder encoder, boolean chunked, long declared) {
    super(transport, declared);
    this.owner = owner;
    this.encoder = encoder;
    this.chunked = chunked;
  }

  @Override
  protected boolean peerPresent() {
    return owner.connected();
  }

  @Override
  protected void frame(ByteBuffer data) {
    if (chunked) {
      encoder.writeChunk(transport, data);
    } else {
      encoder.writeRaw(transport, data);
    }
  }

  @Override
  protected void ended() {
    if (chunked && owner.connected()) {
      encoder.writeLastChunk(transport);
    }
    owner.finished(this);
  }

  @Override
  protected void gaveUp(String reason) {
    if (owner.connected()) {
      LOG.log(Level.WARNING, "{0}: response aborted: {1}", transport.getPeer(), reason);
    }
    owner.aborted(this, reason);
  }

  /**
   * The connection gives the response up (its request was refused): nothing more is written, and
   * what the handler still writes is refused.
   */
  void cancel() {
    stop(false);
  }

  /** The connection went away: nothing more will be written. */
  void closed() {
    stop(true); // the transport stops and forgets its producer itself
  }

  @Override
  public String toString() {
    return "ResponseBody[" + written() + " bytes" + (isOpen() ? "" : ", ended") + "]";
  }
}
