package io.torsion.protocols.http;

import io.torsion.Failure;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Receives a streamed body (see {@link BodyStream}), on the reactor thread: the pieces in order,
 * then exactly one of {@link #bodyEnd} or {@link #bodyFailed}.
 */
public interface BodyReceiver {
  /** A piece of the body; the buffer is valid only during the call. */
  void bodyData(ByteBuffer data);

  /**
   * The body is complete; {@code trailers} holds the trailer fields of a chunked body, else none.
   */
  void bodyEnd(HttpHeaders trailers);

  /**
   * The body will not complete: the peer went away, sent malformed chunks, was too slow, or the
   * connection closed for another reason.
   */
  void bodyFailed(Failure reason);

  /**
   * Returns a receiver that writes every piece to {@code response} and finishes it at the end, or
   * aborts it if the body fails: the body of an echo.
   */
  static BodyReceiver into(ResponseBody response) {
    Objects.requireNonNull(response, "response");
    return new BodyReceiver() {
      @Override
      public void bodyData(ByteBuffer data) {
        response.write(data);
      }

      @Override
      public void bodyEnd(HttpHeaders trailers) {
        response.finish();
      }

      @Override
      public void bodyFailed(Failure reason) {
        response.abort("the request body failed: " + reason.message());
      }
    };
  }
}
