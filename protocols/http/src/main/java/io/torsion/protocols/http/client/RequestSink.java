package io.torsion.protocols.http.client;

import io.torsion.PullProducer;
import io.torsion.PushProducer;
import io.torsion.Transport;
import io.torsion.protocols.http.ResponseBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Where a streamed request body goes: frames what the request's writer writes (chunks, or bytes
 * within the declared length) and passes producers on to the transport, so an upload runs at the
 * pace the server reads.
 */
final class RequestSink implements ResponseBody {
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};

  private final ClientConnection connection;
  private final Transport transport;
  private final long declared;
  private long written;
  private boolean producer;
  private boolean done;

  RequestSink(ClientConnection connection, Transport transport, long declared) {
    this.connection = connection;
    this.transport = transport;
    this.declared = declared;
  }

  @Override
  public void write(ByteBuffer data) {
    if (done) {
      throw new IllegalStateException("the request body has ended");
    }
    int count = data.remaining();
    if (count == 0) {
      return;
    }
    if (declared >= 0 && written + count > declared) {
      abort("the body is longer than its declared " + declared + " bytes");
      throw new IllegalStateException(
          "the body is longer than its declared " + declared + " bytes");
    }
    written += count;
    if (declared < 0) {
      transport.write(
          ByteBuffer.wrap(
              (Integer.toHexString(count) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
      transport.write(data);
      transport.write(ByteBuffer.wrap(CRLF));
    } else {
      transport.write(data);
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
      throw new IllegalStateException("the request body has ended");
    }
    if (declared >= 0 && written < declared) {
      abort("the body ended after " + written + " of its declared " + declared + " bytes");
      return;
    }
    done = true;
    unregisterProducer();
    if (declared < 0) {
      transport.write(ByteBuffer.wrap(LAST_CHUNK));
    }
    connection.requestDone();
  }

  @Override
  public void abort(String reason) {
    if (done) {
      return;
    }
    done = true;
    unregisterProducer();
    connection.requestAborted(reason);
  }

  @Override
  public boolean isOpen() {
    return !done;
  }

  /** The connection went away: nothing more is written. */
  void closed() {
    done = true;
    producer = false;
  }

  private void requireOpen() {
    if (done) {
      throw new IllegalStateException("the request body has ended");
    }
  }
}
