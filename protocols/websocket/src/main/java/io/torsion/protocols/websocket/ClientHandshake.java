package io.torsion.protocols.websocket;

import io.torsion.ConnectionClosed;
import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import io.torsion.protocols.websocket.internal.Handshakes;
import io.torsion.protocols.websocket.internal.PerMessageDeflate;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client side of the opening handshake (RFC 6455 4.1): sends the request, reads and checks the
 * server's answer, then hands the connection to a {@link WebSocketConnection}.
 */
final class ClientHandshake<P extends WebSocketProtocol> extends Protocol {
  private static final int MAX_RESPONSE_HEAD = 16 * 1024;
  private static final int CRLFCRLF = 0x0D0A0D0A;

  private final WebSocketClient client;
  private final P application;
  private final ReactorTime time;
  private final Deferred<P> opened;
  private final String key = Handshakes.newKey();
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();
  private int lastFour; // the head's last four bytes: its end is seen without rescanning it
  private DelayedCall timeout;
  private boolean done;

  ClientHandshake(WebSocketClient client, P application, ReactorTime time, Deferred<P> opened) {
    this.client = client;
    this.application = application;
    this.time = time;
    this.opened = opened;
  }

  @Override
  public void connectionMade() {
    StringBuilder request = new StringBuilder();
    request.append("GET ").append(client.target()).append(" HTTP/1.1\r\n");
    request.append("Host: ").append(client.hostHeader()).append("\r\n");
    request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
    request.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
    request.append("Sec-WebSocket-Version: 13\r\n");
    if (!client.subprotocols().isEmpty()) {
      request.append("Sec-WebSocket-Protocol: ");
      request.append(String.join(", ", client.subprotocols())).append("\r\n");
    }
    if (client.options().compression()) {
      request.append("Sec-WebSocket-Extensions: ").append(PerMessageDeflate.offer()).append("\r\n");
    }
    for (Map.Entry<String, String> field : client.headers().entrySet()) {
      request.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
    }
    request.append("\r\n");
    transport().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    timeout =
        time.callLater(
            client.options().handshakeTimeout(),
            () ->
                failed(
                    new WebSocketHandshakeError(
                        "no handshake answer within " + client.options().handshakeTimeout(), 0)));
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (done) {
      return;
    }
    while (data.hasRemaining()) {
      byte b = data.get();
      head.write(b);
      lastFour = (lastFour << 8) | (b & 0xFF);
      if (lastFour == CRLFCRLF) {
        answered(data);
        return;
      }
      if (head.size() > MAX_RESPONSE_HEAD) {
        failed(new WebSocketHandshakeError("the handshake answer's head is over 16 KiB", 0));
        return;
      }
    }
  }

  /** The answer's head is in; {@code rest} holds what follows it (frames, already). */
  private void answered(ByteBuffer rest) {
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = 0;
    if (statusLine.length >= 2 && statusLine[0].startsWith("HTTP/1.")) {
      try {
        status = Integer.parseInt(statusLine[1]);
      } catch (NumberFormatException e) {
        status = 0;
      }
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        fields
            .computeIfAbsent(
                lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    if (status != 101) {
      failed(new WebSocketHandshakeError("the server answered " + lines[0], status));
      return;
    }
    if (!hasToken(fields, "upgrade", "websocket") || !hasToken(fields, "connection", "upgrade")) {
      failed(new WebSocketHandshakeError("a 101 without Upgrade: websocket", status));
      return;
    }
    if (!Handshakes.accept(key).equals(one(fields, "sec-websocket-accept"))) {
      failed(new WebSocketHandshakeError("a wrong Sec-WebSocket-Accept", status));
      return;
    }
    String subprotocol = one(fields, "sec-websocket-protocol");
    if (subprotocol != null && !client.subprotocols().contains(subprotocol)) {
      failed(new WebSocketHandshakeError("a subprotocol not offered: " + subprotocol, status));
      return;
    }
    PerMessageDeflate deflate;
    List<String> extensions = fields.get("sec-websocket-extensions");
    try {
      deflate =
          extensions == null
              ? null
              : client.options().compression()
                  ? PerMessageDeflate.accepted(String.join(", ", extensions))
                  : refuse(extensions);
    } catch (IllegalArgumentException e) {
      failed(new WebSocketHandshakeError(e.getMessage(), status));
      return;
    }
    done = true;
    timeout.cancel();
    WebSocketConnection connection =
        new WebSocketConnection(
            application, true, client.options(), time, deflate, subprotocol, null);
    transport().switchProtocol(connection, rest);
    opened.callback(application);
  }

  private static PerMessageDeflate refuse(List<String> extensions) {
    throw new IllegalArgumentException("the server accepted extensions not offered: " + extensions);
  }

  private static String one(Map<String, List<String>> fields, String name) {
    List<String> values = fields.get(name);
    return values == null || values.size() != 1 ? null : values.get(0);
  }

  private static boolean hasToken(Map<String, List<String>> fields, String name, String token) {
    for (String value : fields.getOrDefault(name, List.of())) {
      for (String part : value.split(",")) {
        if (part.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  private void failed(WebSocketHandshakeError error) {
    if (done) {
      return;
    }
    done = true;
    if (timeout != null && timeout.active()) {
      timeout.cancel();
    }
    transport().abortConnection();
    if (!opened.called()) {
      opened.errback(error);
    }
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    if (timeout != null && timeout.active()) {
      timeout.cancel();
    }
    if (!done) {
      done = true;
      if (!opened.called()) {
        opened.errback(
            new WebSocketHandshakeError(
                "the connection closed during the handshake: " + reason.getMessage(), 0));
      }
    }
  }
}
