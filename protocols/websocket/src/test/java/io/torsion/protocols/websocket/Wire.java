package io.torsion.protocols.websocket;

import io.torsion.ConnectionDone;
import io.torsion.protocols.websocket.internal.FrameReader;
import io.torsion.protocols.websocket.internal.FrameWriter;
import io.torsion.protocols.websocket.internal.PerMessageDeflate;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket connection on an in-memory transport and a manual clock, with the peer scripted
 * byte by byte: what the test sends is raw frames, what the connection sends is parsed back.
 */
final class Wire {
  final StringTransport transport = new StringTransport();
  final Clock clock = new Clock();
  final Recording app;
  private final boolean client;

  private final WebSocketConnection connection;

  private Wire(Recording app, boolean client, WebSocketOptions options, PerMessageDeflate deflate) {
    this.app = app;
    this.client = client;
    this.connection = new WebSocketConnection(app, client, options, clock, deflate, null, null);
    transport.connect(connection);
  }

  WebSocketConnection connection() {
    return connection;
  }

  /** A server-side connection (the test is the client: it masks). */
  static Wire server(WebSocketOptions options) {
    return new Wire(new Recording(true), false, options, null);
  }

  static Wire server() {
    return server(WebSocketOptions.defaults());
  }

  static Wire server(WebSocketOptions options, PerMessageDeflate deflate, Recording app) {
    return new Wire(app, false, options, deflate);
  }

  /** A client-side connection (the test is the server: it does not mask). */
  static Wire client(WebSocketOptions options) {
    return new Wire(new Recording(true), true, options, null);
  }

  static Wire client(WebSocketOptions options, Recording app) {
    return new Wire(app, true, options, null);
  }

  void receive(byte[] bytes) {
    transport.receive(bytes);
  }

  /** Returns the frames the connection sent since the last call. */
  List<Frame> sent() {
    byte[] out = transport.value();
    transport.clear();
    List<Frame> frames = new ArrayList<>();
    FrameReader reader = new FrameReader(client, Integer.MAX_VALUE);
    reader.allowRsv1();
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    int[] head = new int[2];
    boolean[] flags = new boolean[2];
    reader.feed(
        ByteBuffer.wrap(out),
        new FrameReader.Handler() {
          @Override
          public void frameStart(int opcode, boolean fin, boolean rsv1, long length) {
            head[0] = opcode;
            flags[0] = fin;
            flags[1] = rsv1;
            payload.reset();
          }

          @Override
          public void framePayload(ByteBuffer piece) {
            byte[] bytes = new byte[piece.remaining()];
            piece.get(bytes);
            payload.writeBytes(bytes);
          }

          @Override
          public void frameEnd() {
            frames.add(new Frame(head[0], flags[0], flags[1], payload.toByteArray()));
          }
        });
    return frames;
  }

  /** Returns the one close frame the connection sent (and nothing else), failing otherwise. */
  int closeCode() {
    List<Frame> frames = sent();
    Frame last = frames.isEmpty() ? null : frames.get(frames.size() - 1);
    if (last == null || last.opcode() != 8) {
      throw new AssertionError("no close frame sent, but " + frames);
    }
    return last.code();
  }

  boolean closedTcp() {
    return transport.disconnecting();
  }

  /** The peer's TCP close, after which the protocol hears connectionLost. */
  void peerCloses() {
    transport.peerClose(new ConnectionDone("closed"));
  }

  /** A frame as the test's peer sends it: masked from a client, not from a server. */
  static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
    ByteBuffer out = FrameWriter.frame(opcode, fin, false, ByteBuffer.wrap(payload), masked);
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  static byte[] clientFrame(int opcode, boolean fin, byte[] payload) {
    return frame(opcode, fin, payload, true);
  }

  static byte[] clientFrame(int opcode, byte[] payload) {
    return frame(opcode, true, payload, true);
  }

  static byte[] close(int code, byte[] reason) {
    ByteBuffer payload = ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason);
    return clientFrame(8, payload.array());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A frame parsed back. */
  record Frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
    int code() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Records what the application hears; echoes if asked. */
  static class Recording extends WebSocketProtocol {
    final List<String> events = new ArrayList<>();
    final boolean echo;
    CloseStatus closed;

    Recording(boolean echo) {
      this.echo = echo;
    }

    @Override
    protected void onOpen() {
      events.add("open");
    }

    @Override
    protected void onText(String text) {
      events.add("text:" + (text.length() > 40 ? text.length() + " chars" : text));
      if (echo) {
        sendText(text);
      }
    }

    @Override
    protected void onBinary(byte[] data) {
      events.add("binary:" + data.length);
      if (echo) {
        sendBinary(data);
      }
    }

    @Override
    protected void onPong(byte[] payload) {
      events.add("pong:" + payload.length);
    }

    @Override
    protected void onClose(CloseStatus status) {
      closed = status;
      events.add("close:" + status.code() + (status.clean() ? ":clean" : ":unclean"));
    }
  }
}
