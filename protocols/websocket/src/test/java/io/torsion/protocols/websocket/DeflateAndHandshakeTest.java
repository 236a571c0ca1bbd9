package io.torsion.protocols.websocket;

import static io.torsion.protocols.websocket.Wire.concat;
import static io.torsion.protocols.websocket.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.protocols.http.HttpServer;
import io.torsion.protocols.http.Router;
import io.torsion.protocols.websocket.Wire.Frame;
import io.torsion.protocols.websocket.internal.FrameWriter;
import io.torsion.protocols.websocket.internal.Handshakes;
import io.torsion.protocols.websocket.internal.PerMessageDeflate;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The opening handshake through the HTTP server (RFC 6455 4.2), and {@code permessage-deflate} (RFC
 * 7692, Autobahn's sections 12 and 13): the negotiation of every parameter, compressed messages
 * both ways, a compression bomb.
 */
class DeflateAndHandshakeTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  @Test
  void theAcceptKeyIsRfc6455sExample() {
    assertThat(Handshakes.accept(KEY)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertThat(Handshakes.validKey(Handshakes.newKey())).isTrue();
    assertThat(Handshakes.validKey("c2hvcnQ=")).isFalse();
  }

  /** An HTTP server with one WebSocket route on an in-memory transport. */
  private static StringTransport server(WebSocketServer.Builder ws) {
    Router router = Router.builder().get("/ws", ws.build()).build();
    StringTransport transport = new StringTransport();
    transport.connect(HttpServer.create(new Clock(), router).buildProtocol(transport.getPeer()));
    return transport;
  }

  private static String handshake(String... extra) {
    return "GET /ws HTTP/1.1\r\nHost: example\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
        + "Sec-WebSocket-Key: "
        + KEY
        + "\r\nSec-WebSocket-Version: 13\r\n"
        + String.join("", extra)
        + "\r\n";
  }

  @Test
  void aValidHandshakeSwitchesTheConnectionAndTheFramesAfterItInTheSameReadArrive() {
    Wire.Recording app = new Wire.Recording(true);
    StringTransport transport =
        server(WebSocketServer.builder(new Clock(), request -> app).subprotocols("chat", "v2"));
    byte[] frame = Wire.clientFrame(1, utf8("hello"));
    transport.receive(concat(utf8(handshake("Sec-WebSocket-Protocol: v1, v2, chat\r\n")), frame));
    String answer = transport.valueUtf8();
    assertThat(answer)
        .startsWith("HTTP/1.1 101 Switching Protocols\r\n")
        .contains("Upgrade: websocket\r\n", "Connection: Upgrade\r\n")
        .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
        .contains("Sec-WebSocket-Protocol: v2\r\n")
        .doesNotContain("Content-Length");
    assertThat(app.events).containsExactly("open", "text:hello");
    assertThat(app.subprotocol()).isEqualTo("v2");
    assertThat(answer).endsWith("hello"); // the echo, an unmasked frame after the head
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "POST|Upgrade: websocket|13|" + KEY + "|405",
        "GET|Upgrade: h2c|13|" + KEY + "|426",
        "GET|Upgrade: websocket|8|" + KEY + "|426",
        "GET|Upgrade: websocket|13|c2hvcnQ=|400",
      })
  void anInvalidHandshakeIsAnsweredWithItsStatus(
      String method, String upgrade, String version, String key, int status) {
    StringTransport transport =
        server(WebSocketServer.builder(new Clock(), r -> new Wire.Recording(false)));
    transport.receive(
        method
            + " /ws HTTP/1.1\r\nHost: x\r\n"
            + upgrade
            + "\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: "
            + version
            + "\r\nContent-Length: 0\r\n\r\n");
    assertThat(transport.valueUtf8()).startsWith("HTTP/1.1 " + status + " ");
  }

  @Test
  void anUpgradeARouteIgnoresIsAnsweredAndTheConnectionKeptAlive() {
    Router router =
        Router.builder()
            .get(
                "/plain",
                (request, params) ->
                    io.torsion.Deferred.succeed(
                        io.torsion.protocols.http.HttpResponse.text(200, "plain")))
            .build();
    StringTransport transport = new StringTransport();
    transport.connect(HttpServer.create(new Clock(), router).buildProtocol(transport.getPeer()));
    transport.receive(
        "GET /plain HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
            + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
    String answers = transport.valueUtf8();
    assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(3); // both answered
    assertThat(answers).doesNotContain("Connection: close");
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void theOriginCheckAndTheFactoryMayRefuse() {
    StringTransport refused =
        server(
            WebSocketServer.builder(new Clock(), r -> new Wire.Recording(false))
                .origins(origin -> "https://good.example".equals(origin)));
    refused.receive(handshake("Origin: https://evil.example\r\n"));
    assertThat(refused.valueUtf8()).startsWith("HTTP/1.1 403 ");
    StringTransport declined = server(WebSocketServer.builder(new Clock(), r -> null));
    declined.receive(handshake());
    assertThat(declined.valueUtf8()).startsWith("HTTP/1.1 403 ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "permessage-deflate|permessage-deflate",
        "permessage-deflate; client_max_window_bits|permessage-deflate",
        "permessage-deflate; server_no_context_takeover|permessage-deflate; server_no_context_takeover",
        "permessage-deflate; client_no_context_takeover; server_max_window_bits=9|permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
        "permessage-deflate; server_max_window_bits=\"15\"|permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; server_max_window_bits=7, permessage-deflate|permessage-deflate",
        "x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=10|permessage-deflate",
        "permessage-deflate; unknown_parameter|",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover|",
        "permessage-deflate; server_no_context_takeover=1|",
        "permessage-deflate; server_max_window_bits|",
        "permessage-deflate; client_max_window_bits=16|",
      })
  void everyOfferIsAcceptedOrDeclinedAsRfc7692Says(String offer, String answer) {
    PerMessageDeflate accepted = PerMessageDeflate.accept(offer, false);
    if (answer == null) {
      assertThat(accepted).isNull();
    } else {
      assertThat(accepted).isNotNull();
      assertThat(accepted.response()).isEqualTo(answer);
    }
  }

  @Test
  void aClientChecksTheServersAnswer() {
    assertThat(PerMessageDeflate.accepted("permessage-deflate; client_max_window_bits=9"))
        .isNotNull();
    assertThat(PerMessageDeflate.accepted(null)).isNull();
    assertThatThrownBy(
            () -> PerMessageDeflate.accepted("permessage-deflate; client_max_window_bits"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PerMessageDeflate.accepted("x-other"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Compresses as a peer does: raw DEFLATE, sync flush, the 00 00 FF FF tail removed. */
  private static byte[] deflate(Deflater deflater, byte[] message) {
    deflater.setInput(message);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
    }
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  private static byte[] inflate(Inflater inflater, byte[] payload) throws Exception {
    inflater.setInput(concat(payload, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = inflater.inflate(buffer)) > 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static byte[] compressedFrame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
    ByteBuffer frame = FrameWriter.frame(opcode, fin, rsv1, ByteBuffer.wrap(payload), true);
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    return bytes;
  }

  @Test
  void compressedMessagesGoBothWaysWithContextTakenOverAndFragmented() throws Exception {
    Wire wire =
        Wire.server(
            WebSocketOptions.defaults(),
            PerMessageDeflate.accept("permessage-deflate", false),
            new Wire.Recording(true));
    Deflater peer = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    Inflater peerInflater = new Inflater(true);
    String text = "Hello, compressed WebSocket! ".repeat(20);
    for (int round = 0; round < 3; round++) { // the second and third use the shared context
      byte[] compressed = deflate(peer, utf8(text));
      int third = compressed.length / 3;
      wire.receive(
          concat(
              compressedFrame(1, false, true, Arrays.copyOfRange(compressed, 0, third)),
              compressedFrame(0, false, false, Arrays.copyOfRange(compressed, third, 2 * third)),
              compressedFrame(
                  0, true, false, Arrays.copyOfRange(compressed, 2 * third, compressed.length))));
      List<Frame> echoed = wire.sent();
      assertThat(echoed).hasSize(1);
      assertThat(echoed.get(0).rsv1()).isTrue();
      assertThat(echoed.get(0).payload().length).isLessThan(text.length() / 4);
      assertThat(new String(inflate(peerInflater, echoed.get(0).payload()), "UTF-8"))
          .isEqualTo(text);
    }
    assertThat(wire.app.events).hasSize(4); // open and three messages
  }

  @Test
  void aSmallWindowAskedOfTheServerIsHonouredWithHuffmanCodingOnly() throws Exception {
    Wire wire =
        Wire.server(
            WebSocketOptions.defaults(),
            PerMessageDeflate.accept("permessage-deflate; server_max_window_bits=8", false),
            new Wire.Recording(true));
    byte[] text = utf8("abcabcabcabc".repeat(100));
    wire.receive(Wire.clientFrame(1, text));
    Frame echoed = wire.sent().get(0);
    assertThat(echoed.rsv1()).isTrue();
    assertThat(inflate(new Inflater(true), echoed.payload())).isEqualTo(text);
    // no back-references: Huffman coding alone needs at least a bit per byte
    assertThat(echoed.payload().length).isGreaterThanOrEqualTo(text.length / 8);
  }

  @Test
  void aCompressionBombIsClosedWith1009AndInvalidDeflateWith1007() {
    Wire bomb =
        Wire.server(
            WebSocketOptions.defaults(),
            PerMessageDeflate.accept("permessage-deflate", false),
            new Wire.Recording(true));
    byte[] zeros = deflate(new Deflater(Deflater.BEST_COMPRESSION, true), new byte[64 << 20]);
    assertThat(zeros.length).isLessThan(100_000);
    bomb.receive(compressedFrame(2, true, true, zeros));
    assertThat(bomb.closeCode()).isEqualTo(1009);

    Wire junk =
        Wire.server(
            WebSocketOptions.defaults(),
            PerMessageDeflate.accept("permessage-deflate", false),
            new Wire.Recording(true));
    junk.receive(compressedFrame(2, true, true, new byte[] {(byte) 0xFF, (byte) 0xFF, 7, 7}));
    assertThat(junk.closeCode()).isEqualTo(1007);
  }
}
