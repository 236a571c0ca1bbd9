package io.torsion.protocols.websocket;

import io.torsion.ConnectionClosed;
import io.torsion.DelayedCall;
import io.torsion.Failure;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import io.torsion.protocols.http.HttpRequest;
import io.torsion.protocols.websocket.internal.FrameReader;
import io.torsion.protocols.websocket.internal.FrameWriter;
import io.torsion.protocols.websocket.internal.Opcodes;
import io.torsion.protocols.websocket.internal.PerMessageDeflate;
import io.torsion.protocols.websocket.internal.ProtocolViolation;
import io.torsion.protocols.websocket.internal.Utf8Validator;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The WebSocket protocol on a connection after the opening handshake (RFC 6455 5-7): frames in and
 * out, messages assembled and checked, control frames answered, the closing handshake, the
 * keep-alive; the application's {@link WebSocketProtocol} hears the messages.
 */
final class WebSocketConnection extends Protocol implements FrameReader.Handler, Runnable {
  private static final System.Logger LOG = System.getLogger(WebSocketProtocol.class.getName());
  private static final int COMPRESS_AT_LEAST = 64; // smaller messages go out as they are
  // a server's payload at least this large is written after its header, not copied behind it
  private static final int WRITE_APART = 4096;
  // what a one-frame message's buffer starts at before its bytes arrive
  private static final int FIRST_BUFFER = 16 * 1024;
  private static final Duration RATE_WINDOW =
      Duration.ofSeconds(WebSocketOptions.RATE_WINDOW_SECONDS);

  private final WebSocketProtocol application;
  private final boolean client;
  private final WebSocketOptions options;
  private final ReactorTime time;
  private final PerMessageDeflate deflate; // null unless negotiated
  private final String subprotocol;
  private final HttpRequest request;
  private final FrameReader reader;
  private Utf8Validator utf8; // made for the first text message

  // the frame being read
  private int opcode;
  private boolean fin;
  private byte[] control; // a control frame's payload
  private int controlLength;
  // the message being read
  private boolean inMessage;
  private boolean messageText;
  private boolean messageCompressed;
  private long messageSize;
  private byte[] message;
  private long messageDeclared; // a one-frame message's length, or -1
  private int messageLength;
  // the message being sent in fragments
  private boolean sendingFragments;
  private boolean fragmentsCompressed;

  private boolean closeSent;
  private boolean closeReceived;
  private boolean failed;
  private CloseStatus status; // the peer's close, or ours if it sent none
  private boolean heardSincePing = true;
  private boolean pinged; // the keep-alive's ping is out
  private DelayedCall keepAlive;
  private DelayedCall closeTimer;
  private DelayedCall rateGuard; // armed while a frame or message is partly received
  private long bytesInWindow;
  private boolean lost;

  WebSocketConnection(
      WebSocketProtocol application,
      boolean client,
      WebSocketOptions options,
      ReactorTime time,
      PerMessageDeflate deflate,
      String subprotocol,
      HttpRequest request) {
    this.application = application;
    this.client = client;
    this.options = options;
    this.time = time;
    this.deflate = deflate;
    this.subprotocol = subprotocol;
    this.request = request;
    this.reader = new FrameReader(!client, options.maxFrameSize());
    if (deflate != null) {
      reader.allowRsv1();
    }
    application.attach(this);
  }

  // ---------------------------------------------------------------- the connection

  @Override
  public void connectionMade() {
    scheduleKeepAlive();
    try {
      application.onOpen();
    } catch (RuntimeException e) {
      internalError("onOpen", e);
    }
  }

  @Override
  public void dataReceived(ByteBuffer data) {
    if (failed || closeReceived) {
      return; // nothing after the peer's close frame counts
    }
    heardSincePing = true;
    int received = data.remaining();
    bytesInWindow += received;
    try {
      reader.feed(data, this);
    } catch (ProtocolViolation violation) {
      if (!failed) {
        fail(violation.code(), violation.getMessage());
      }
      return;
    }
    guardRate(received);
  }

  /**
   * Arms the rate guard when a frame or message is left partly received (counting the {@code
   * received} bytes that began it); disarms it otherwise.
   */
  private void guardRate(int received) {
    if (!partlyReceived()) {
      cancel(rateGuard);
      rateGuard = null;
    } else if (rateGuard == null && options.minMessageRate() > 0 && !closeReceived) {
      bytesInWindow = received;
      rateGuard = time.callLater(RATE_WINDOW, this::checkRate);
    }
  }

  private boolean partlyReceived() {
    return inMessage || !reader.betweenFrames();
  }

  /**
   * A window has passed with a frame or message in progress: fails the connection if too little
   * arrived, unless output is queued (then the transport may be holding reads back for us).
   */
  private void checkRate() {
    rateGuard = null;
    if (failed || lost || closeReceived || !partlyReceived()) {
      return;
    }
    long needed = (long) options.minMessageRate() * WebSocketOptions.RATE_WINDOW_SECONDS;
    if (bytesInWindow < needed && transport().bufferedBytes() == 0) {
      fail(
          CloseStatus.POLICY_VIOLATION,
          "a message arriving slower than " + options.minMessageRate() + " bytes/s");
      return;
    }
    bytesInWindow = 0;
    rateGuard = time.callLater(RATE_WINDOW, this::checkRate);
  }

  @Override
  public void connectionLost(ConnectionClosed reason) {
    lost = true;
    cancel(keepAlive);
    cancel(closeTimer);
    cancel(rateGuard);
    if (deflate != null) {
      deflate.end();
    }
    CloseStatus ended =
        status != null && closeReceived
            ? new CloseStatus(status.code(), status.reason(), closeSent)
            : new CloseStatus(
                CloseStatus.ABNORMAL,
                status != null ? status.reason() : reason.getMessage(),
                false);
    try {
      application.onClose(ended);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a WebSocket protocol's onClose threw", e);
    }
  }

  boolean isOpen() {
    return !closeSent && !closeReceived && !lost;
  }

  String subprotocol() {
    return subprotocol;
  }

  boolean compressed() {
    return deflate != null;
  }

  HttpRequest request() {
    return request;
  }

  /** Returns the bytes held for the message being read: what a declared length has cost so far. */
  int heldForMessage() {
    return message == null ? 0 : message.length;
  }

  // ---------------------------------------------------------------- frames in

  @Override
  public void frameStart(int opcode, boolean fin, boolean rsv1, long length) {
    this.opcode = opcode;
    this.fin = fin;
    if (Opcodes.isControl(opcode)) {
      control = new byte[(int) length]; // at most 125; dropped when the frame is done
      controlLength = 0;
      return;
    }
    if (opcode == Opcodes.CONTINUATION) {
      if (!inMessage) {
        throw new ProtocolViolation(1002, "a continuation frame with no message to continue");
      }
      return;
    }
    if (inMessage) {
      throw new ProtocolViolation(1002, "a new message before the previous one ended");
    }
    inMessage = true;
    messageText = opcode == Opcodes.TEXT;
    messageCompressed = rsv1;
    messageSize = 0;
    messageLength = 0;
    if (messageText) {
      if (utf8 == null) {
        utf8 = new Utf8Validator();
      }
      utf8.reset();
    }
    messageDeclared = -1;
    if (fin && !rsv1 && length <= options.maxMessageSize() && !application.receivesFragments()) {
      // A message in one frame: its buffer ends exactly at its size, but grows with what arrives,
      // so that a declared length costs nothing until the bytes come.
      messageDeclared = length;
      message = new byte[(int) Math.min(length, FIRST_BUFFER)];
    }
  }

  @Override
  public void framePayload(ByteBuffer piece) {
    if (Opcodes.isControl(opcode)) {
      int n = piece.remaining();
      piece.get(control, controlLength, n);
      controlLength += n;
    } else if (messageCompressed) {
      deflate.decompress(piece, this::messageBytes);
    } else {
      messageBytes(piece);
    }
  }

  @Override
  public void frameEnd() {
    if (Opcodes.isControl(opcode)) {
      byte[] payload = control;
      control = null; // an idle connection holds no buffer
      controlFrame(payload);
    } else if (fin) {
      endMessage();
    }
  }

  private void controlFrame(byte[] payload) {
    switch (opcode) {
      case Opcodes.PING -> {
        if (!closeSent) {
          send(Opcodes.PONG, true, false, ByteBuffer.wrap(payload));
        }
      }
      case Opcodes.PONG -> deliver(() -> application.onPong(payload), "onPong");
      default -> closeFrame(payload);
    }
  }

  /** Bytes of the message (inflated if it was compressed), as they come. */
  private void messageBytes(ByteBuffer bytes) {
    int n = bytes.remaining();
    messageSize += n;
    boolean fragments = application.receivesFragments();
    if (!fragments && messageSize > options.maxMessageSize()) {
      throw new ProtocolViolation(
          1009, "a message over the limit of " + options.maxMessageSize() + " bytes");
    }
    if (messageText && !utf8.feed(bytes)) {
      throw new ProtocolViolation(1007, "a text message that is not UTF-8");
    }
    if (closeSent || n == 0) {
      return; // closing: data is no longer delivered
    }
    if (fragments) {
      ByteBuffer view = bytes.asReadOnlyBuffer();
      deliver(() -> application.onFragment(view, messageText, false), "onFragment");
      return;
    }
    if (message == null || messageLength + n > message.length) {
      long size;
      if (messageDeclared >= 0) { // toward the declared size in few steps, never past it
        size = Math.min(Math.max(messageLength + n, message.length * 4L), messageDeclared);
      } else {
        size = Math.max(messageLength + n, message == null ? 256 : message.length * 2L);
      }
      message = message == null ? new byte[(int) size] : Arrays.copyOf(message, (int) size);
    }
    bytes.get(message, messageLength, n);
    messageLength += n;
  }

  private void endMessage() {
    if (messageCompressed) {
      deflate.endMessage(this::messageBytes);
    }
    if (messageText && !utf8.complete()) {
      throw new ProtocolViolation(1007, "a text message that ends inside a character");
    }
    inMessage = false;
    if (closeSent) {
      return;
    }
    if (application.receivesFragments()) {
      deliver(
          () -> application.onFragment(ByteBuffer.allocate(0), messageText, true), "onFragment");
      return;
    }
    if (messageText) {
      String text = new String(message == null ? new byte[0] : message, 0, messageLength, UTF8);
      deliver(() -> application.onText(text), "onText");
    } else {
      byte[] data;
      if (message != null && messageLength == message.length) {
        data = message; // exactly the message: handed over, no copy
      } else {
        data = message == null ? new byte[0] : Arrays.copyOf(message, messageLength);
      }
      deliver(() -> application.onBinary(data), "onBinary");
    }
    message = null; // an idle connection holds no buffer
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** The peer's close frame (RFC 6455 5.5.1, 7.1.5, 7.4). */
  private void closeFrame(byte[] control) {
    if (control.length == 1) {
      throw new ProtocolViolation(1002, "a close frame with a one-byte payload");
    }
    int code = CloseStatus.NO_STATUS;
    String reason = "";
    if (control.length >= 2) {
      code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
      if (!CloseStatus.isValidOnTheWire(code)) {
        throw new ProtocolViolation(1002, "close code " + code + " may not be sent");
      }
      Utf8Validator check = new Utf8Validator();
      ByteBuffer text = ByteBuffer.wrap(control, 2, control.length - 2);
      if (!check.feed(text) || !check.complete()) {
        throw new ProtocolViolation(1007, "a close reason that is not UTF-8");
      }
      reason = new String(control, 2, control.length - 2, UTF8);
    }
    closeReceived = true;
    status = new CloseStatus(code, reason, false);
    if (!closeSent) {
      closeSent = true; // echo the code (RFC 6455 5.5.1)
      sendClose(code == CloseStatus.NO_STATUS ? -1 : code, new byte[0]);
    }
    cancel(closeTimer);
    finishClosing();
  }

  /**
   * Both close frames are out: a server closes the TCP connection, a client waits for the server
   * to; either drops it if that has not happened within the close timeout (a peer that does not
   * read keeps our close frame from leaving).
   */
  private void finishClosing() {
    cancel(keepAlive);
    cancel(rateGuard);
    if (!client) {
      transport().loseConnection();
    }
    dropAfterCloseTimeout();
  }

  private void dropAfterCloseTimeout() {
    cancel(closeTimer);
    closeTimer = time.callLater(options.closeTimeout(), () -> transport().abortConnection());
  }

  // ---------------------------------------------------------------- frames out

  void sendMessage(boolean text, ByteBuffer data) {
    if (sendingFragments) {
      throw new IllegalStateException("a fragmented message is being sent: end it first");
    }
    if (closeSent || lost) {
      return;
    }
    boolean compress = deflate != null && data.remaining() >= COMPRESS_AT_LEAST;
    ByteBuffer payload = compress ? deflate.compress(data) : data;
    send(text ? Opcodes.TEXT : Opcodes.BINARY, true, compress, payload);
  }

  void sendFragment(ByteBuffer data, boolean text, boolean last) {
    if (closeSent || lost) {
      return;
    }
    int frameOpcode =
        sendingFragments ? Opcodes.CONTINUATION : text ? Opcodes.TEXT : Opcodes.BINARY;
    fragmentsCompressed = false; // fragments go out as they are
    sendingFragments = !last;
    send(frameOpcode, last, fragmentsCompressed, data);
  }

  void ping(byte[] payload) {
    if (payload.length > 125) {
      throw new IllegalArgumentException("a ping carries at most 125 bytes");
    }
    if (!closeSent && !lost) {
      send(Opcodes.PING, true, false, ByteBuffer.wrap(payload));
    }
  }

  void close(int code, String reason) {
    if (!CloseStatus.isValidOnTheWire(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent");
    }
    byte[] text = reason.getBytes(UTF8);
    if (text.length > 123) {
      throw new IllegalArgumentException("a close reason is at most 123 bytes of UTF-8");
    }
    if (closeSent || lost) {
      return;
    }
    startClosing(code, text);
  }

  private void startClosing(int code, byte[] reason) {
    closeSent = true;
    if (status == null) {
      status = new CloseStatus(code, new String(reason, UTF8), false);
    }
    sendClose(code, reason);
    cancel(keepAlive);
    dropAfterCloseTimeout();
  }

  /** Sends a close frame with {@code code} (none if negative) and {@code reason}. */
  private void sendClose(int code, byte[] reason) {
    ByteBuffer payload = ByteBuffer.allocate(code < 0 ? 0 : 2 + reason.length);
    if (code >= 0) {
      payload.putShort((short) code).put(reason);
    }
    send(Opcodes.CLOSE, true, false, payload.flip());
  }

  private void send(int frameOpcode, boolean last, boolean rsv1, ByteBuffer payload) {
    if (lost || !connected()) {
      return;
    }
    if (!client && payload.remaining() >= WRITE_APART) {
      transport()
          .writeSequence(
              List.of(FrameWriter.header(frameOpcode, last, rsv1, payload.remaining()), payload));
    } else {
      transport().write(FrameWriter.frame(frameOpcode, last, rsv1, payload, client));
    }
  }

  // ---------------------------------------------------------------- failing, timers

  /** Fails the connection (RFC 6455 7.1.7): a close frame with {@code code}, then the drop. */
  private void fail(int code, String why) {
    LOG.log(Level.DEBUG, "{0}: closing with {1}: {2}", transport().getPeer(), code, why);
    failed = true;
    status = new CloseStatus(code, why, false);
    if (!closeSent) {
      closeSent = true;
      byte[] reason = why.getBytes(UTF8);
      if (reason.length > 123) {
        reason = Arrays.copyOf(reason, 0); // a long explanation stays in the log
      }
      sendClose(code, reason);
    }
    cancel(keepAlive);
    cancel(rateGuard);
    transport().loseConnection();
    dropAfterCloseTimeout(); // the close frame may never leave if the peer does not read
  }

  private void internalError(String where, RuntimeException e) {
    LOG.log(Level.WARNING, "a WebSocket protocol's " + where + " threw; closing with 1011", e);
    if (!lost) {
      fail(CloseStatus.INTERNAL_ERROR, "internal error");
    }
  }

  private void deliver(Runnable callback, String where) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      Failure.rethrowIfFatal(e);
      internalError(where, e);
      throw new ProtocolViolation(CloseStatus.INTERNAL_ERROR, "internal error"); // stop reading
    }
  }

  private void scheduleKeepAlive() {
    if (!options.pingInterval().isZero()) {
      keepAlive = time.callLater(options.pingInterval(), this);
    }
  }

  /**
   * The keep-alive's timer: after an interval in which the peer sent nothing, a ping; after a pong
   * timeout with still nothing, the connection fails. The connection is its own task, so a timer
   * costs no object of its own.
   */
  @Override
  public void run() {
    keepAlive = null;
    if (heardSincePing) {
      heardSincePing = false;
      pinged = false;
      scheduleKeepAlive();
    } else if (!pinged) {
      pinged = true;
      send(Opcodes.PING, true, false, ByteBuffer.allocate(0));
      keepAlive = time.callLater(options.pongTimeout(), this);
    } else {
      LOG.log(Level.DEBUG, "{0}: no answer to a ping", transport().getPeer());
      fail(CloseStatus.GOING_AWAY, "no answer to a ping");
    }
  }

  private static void cancel(DelayedCall call) {
    if (call != null && call.active()) {
      call.cancel();
    }
  }
}
