package io.torsion.protocols.http.client;

import io.torsion.Transport;
import io.torsion.protocols.http.internal.FramedBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where a streamed request body goes: frames what the request's writer writes (chunks, or bytes
 * within the declared length) and passes producers on to the transport, so an upload runs at the
 * pace the server reads.
 */
final class RequestSink extends FramedBody {
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};

  private final ClientConnection connection;
  private final boolean chunked;

  RequestSink(ClientConnection connection, Transport transport, long declared) {
    super(transport, declared);
    this.connection = connection;
    this.chunked = declared < 0;
  }

  @Override
  protected void frame(ByteBuffer data) {
    if (chunked) {
      transport.write(
          ByteBuffer.wrap(
              (Integer.toHexString(data.remaining()) + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      transport.write(data);
      transport.write(ByteBuffer.wrap(CRLF));
    } else {
      transport.write(data);
    }
  }

  @Override
  protected void ended() {
    if (chunked) {
      transport.write(ByteBuffer.wrap(LAST_CHUNK));
    }
    connection.requestDone();
  }

  @Override
  protected void gaveUp(String reason) {
    connection.requestAborted(reason);
  }

  /** The connection went away: nothing more is written. */
  void closed() {
    stop(true);
  }
}
