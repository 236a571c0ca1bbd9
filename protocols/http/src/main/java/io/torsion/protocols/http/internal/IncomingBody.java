package io.torsion.protocols.http.internal;

import io.torsion.Failure;
import io.torsion.protocols.http.BodyReceiver;
import io.torsion.protocols.http.HttpHeaders;
import io.torsion.protocols.http.RequestBody;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A body arriving in pieces, a server's request body or a client's response body: either arriving
 * (the connection's parser delivers pieces while {@link #accepting()}) or whole (a body already
 * aggregated, delivered at once). Remembers the end or failure that comes before a receiver, and
 * delivers it when one is set. Not API: the module does not export this package.
 */
public final class IncomingBody implements RequestBody {
  private static final System.Logger LOG = System.getLogger("io.torsion.protocols.http");

  private final long length;
  private final Runnable demand;
  private BodyReceiver receiver;
  private byte[] whole;
  private boolean paused;
  private boolean stopped;
  private boolean ended;
  private HttpHeaders trailers;
  private Failure failure;
  private boolean told;

  /**
   * Creates a body of {@code length} bytes (-1 if chunked); {@code demand} runs when it can take
   * more after it could not (null for a whole body).
   */
  public IncomingBody(long length, Runnable demand) {
    this.length = length;
    this.demand = demand;
  }

  /**
   * Returns the stream of a body that has arrived whole: it delivers it at once to its receiver.
   */
  public static IncomingBody whole(byte[] body, HttpHeaders trailerFields) {
    IncomingBody stream = new IncomingBody(body.length, null);
    stream.whole = body;
    stream.end(trailerFields);
    return stream;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public void deliverTo(BodyReceiver next) {
    Objects.requireNonNull(next, "receiver");
    if (receiver != null) {
      throw new IllegalStateException("the request body already has a receiver");
    }
    receiver = next;
    pump();
    if (demand != null && !told) {
      demand.run();
    }
  }

  /**
   * Returns true if a piece can be delivered now: a receiver that is not paused, or a discarding
   * body.
   */
  public boolean accepting() {
    return stopped || (receiver != null && !paused);
  }

  /** Returns true once the receiver stopped it: the rest is discarded. */
  public boolean stopped() {
    return stopped;
  }

  /** Returns true once the whole body has arrived (whether or not delivered). */
  public boolean ended() {
    return ended;
  }

  /** Delivers a piece; the parser calls only while {@link #accepting()}. */
  public void data(ByteBuffer piece) {
    if (stopped || failure != null) {
      return;
    }
    try {
      receiver.bodyData(piece);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a request body receiver threw; discarding the rest of the body", e);
      stopped = true;
    }
  }

  /** The body is complete. */
  public void end(HttpHeaders trailerFields) {
    ended = true;
    trailers = trailerFields;
    pump();
  }

  /** The body will not complete. */
  public void fail(Failure reason) {
    if (ended || failure != null) {
      return;
    }
    failure = reason;
    pump();
  }

  private void pump() {
    if (receiver == null || told || paused || stopped) {
      return;
    }
    try {
      if (whole != null) {
        byte[] piece = whole;
        whole = null;
        if (piece.length > 0) {
          receiver.bodyData(ByteBuffer.wrap(piece));
          if (paused || stopped) {
            return; // the end follows on resume
          }
        }
      }
      if (failure != null) {
        told = true;
        receiver.bodyFailed(failure);
      } else if (ended) {
        told = true;
        receiver.bodyEnd(trailers);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a request body receiver threw", e);
      stopped = true;
    }
  }

  @Override
  public void pauseProducing() {
    paused = true;
  }

  @Override
  public void resumeProducing() {
    if (!paused) {
      return;
    }
    paused = false;
    pump();
    if (demand != null && !told) {
      demand.run();
    }
  }

  @Override
  public void stopProducing() {
    if (stopped) {
      return;
    }
    stopped = true;
    whole = null;
    if (demand != null) {
      demand.run();
    }
  }

  @Override
  public String toString() {
    return "Body["
        + (length < 0 ? "chunked" : length + " bytes")
        + (ended ? ", ended" : failure != null ? ", failed" : "")
        + (paused ? ", paused" : "")
        + "]";
  }
}
