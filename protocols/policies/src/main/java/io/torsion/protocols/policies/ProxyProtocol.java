package io.torsion.protocols.policies;

import io.torsion.Deferred;
import io.torsion.DelayedCall;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.ReactorTime;
import io.torsion.Transport;
import io.torsion.tls.TlsInfo;
import io.torsion.tls.TlsServerOptions;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * HAProxy's PROXY protocol, versions 1 (text) and 2 (binary), as a factory wrapper: a load balancer
 * in front (HAProxy, AWS and GCP load balancers, Envoy) opens each connection with a header naming
 * the real client, and the wrapped factory builds its protocol for that client, whose {@code
 * transport().getPeer()} (and so the HTTP access log) is the client's address; {@link
 * #header(Transport)} gives the whole header, v2's TLVs (such as the authority, the TLS SNI)
 * included.
 *
 * <pre>{@code
 * ProxyProtocol proxied = ProxyProtocol.builder(reactor).required().trust("10.0.0.0/8").build();
 * reactor.listenTCP(8080, null, proxied.wrap(HttpServer.create(reactor, router)));
 * }</pre>
 *
 * <table>
 *   <caption>What a connection sees</caption>
 *   <tr><th>case</th><th>outcome</th></tr>
 *   <tr><td>a valid header from a trusted source</td><td>the protocol is built for the client it
 *       names; {@code LOCAL} (v2) and {@code UNKNOWN} (v1), a balancer's own health checks, keep
 *       the connection's address</td></tr>
 *   <tr><td>no header, {@link Builder#required()}</td><td>closed: "PROXY protocol header
 *       required"</td></tr>
 *   <tr><td>no header, {@link Builder#optional()}</td><td>served as it is, its own
 *       address, once its first bytes show there is none or it has sent nothing for {@link
 *       Builder#optional(Duration) a moment} (so a protocol that speaks first greets it)</td></tr>
 *   <tr><td>a connection from a source not {@link Builder#trust trusted}</td><td>{@code
 *       required()}: closed at once (anyone could claim any address); {@code optional()}: served as
 *       it is at once, its own address (a header it sends reaches the protocol as data)</td></tr>
 *   <tr><td>more than {@link Builder#maxWaiting} (default {@value #DEFAULT_MAX_WAITING})
 *       connections waiting for their header at once</td><td>closed at once</td></tr>
 *   <tr><td>a malformed header, or one over {@link Builder#maxHeaderSize} (default {@value
 *       #DEFAULT_MAX_HEADER})</td><td>closed, with the reason</td></tr>
 *   <tr><td>no complete header within {@link Builder#timeout} (default 10 s)</td><td>closed</td></tr>
 * </table>
 */
public final class ProxyProtocol {
  /** The default of {@link Builder#maxHeaderSize}: v1's 107 bytes, and room for v2's TLVs. */
  public static final int DEFAULT_MAX_HEADER = 4096;

  /** The default of {@link Builder#maxWaiting}: connections waiting for their header at once. */
  public static final int DEFAULT_MAX_WAITING = 1024;

  /** How long {@link Builder#optional()} waits for a silent client's first bytes, in ms. */
  public static final int DEFAULT_SILENT_MILLIS = 500;

  private static final Duration DEFAULT_SILENT_FOR = Duration.ofMillis(DEFAULT_SILENT_MILLIS);

  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };
  private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
  private static final int V1_MAX = 107;
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  private final ReactorTime time;
  private final boolean required;
  private final List<byte[][]> trusted; // {network, mask} pairs; empty: every source
  private final int maxHeaderSize;
  private final Duration timeout;
  private final Duration silentFor;
  private final int maxWaiting;
  private final java.util.concurrent.atomic.AtomicInteger waiting =
      new java.util.concurrent.atomic.AtomicInteger();

  private ProxyProtocol(Builder builder) {
    this.time = builder.time;
    this.required = builder.required;
    this.trusted = List.copyOf(builder.trusted);
    this.maxHeaderSize = builder.maxHeaderSize;
    this.timeout = builder.timeout;
    this.silentFor = builder.silentFor;
    this.maxWaiting = builder.maxWaiting;
  }

  /** Returns a builder: optional headers, from every source, the default size and timeout. */
  public static Builder builder(ReactorTime time) {
    return new Builder(Objects.requireNonNull(time, "time"));
  }

  /** A PROXY header as received: the client and the address it connected to, and v2's TLVs. */
  public record Header(
      int version, SocketAddress source, SocketAddress destination, Map<Integer, byte[]> tlvs) {
    /** v2's TLV types of the spec's section 2.2 that are commonly sent. */
    public static final int ALPN = 0x01;

    /** The authority (the host name the client asked for, such as the TLS SNI). */
    public static final int AUTHORITY = 0x02;

    /** Returns the authority TLV as text, or null. */
    public String authority() {
      byte[] value = tlvs.get(AUTHORITY);
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
  }

  /**
   * Returns the PROXY header the connection under {@code transport} opened with, or null (none, or
   * not a connection this policy wraps).
   */
  public static Header header(Transport transport) {
    return transport instanceof Reader reader ? reader.header : null;
  }

  /** Returns {@code factory} behind this policy. */
  public Factory<Protocol> wrap(Factory<?> factory) {
    return wrap(factory, null);
  }

  /**
   * Returns {@code factory} behind this policy on a listener whose connections speak TLS after the
   * header (a balancer passing TLS through, HAProxy's {@code mode tcp} with {@code send-proxy}):
   * listen with plain {@code listenTCP}; the header is read in plaintext, then the connection
   * starts TLS with {@code tls}, and the protocol is built once the handshake is done, as on a
   * {@code listenSSL} port.
   */
  public Factory<Protocol> wrap(Factory<?> factory, TlsServerOptions tls) {
    Objects.requireNonNull(factory, "factory");
    return new WrappingFactory(this, factory) {
      @Override
      public Protocol buildProtocol(SocketAddress peer) {
        return new Reader(factory, peer, tls); // the wrapped factory builds once the header is read
      }

      @Override
      Protocol wrap(Protocol built, SocketAddress peer) {
        throw new AssertionError("not used: the reader builds");
      }
    };
  }

  @Override
  public String toString() {
    return "ProxyProtocol[" + (required ? "required" : "optional") + "]";
  }

  /** Nothing yet: what a connection holds until its header is read. */
  private static final class Waiting extends Protocol {}

  /** Reads the header, then hands the connection to the protocol built for its client. */
  private final class Reader extends ProtocolWrapper {
    private final Factory<?> factory;
    private final SocketAddress connectedFrom;
    private final TlsServerOptions tls; // null: the connection stays plaintext
    private byte[] buffer = new byte[0];
    private boolean done;
    private Header header;
    private DelayedCall deadline;
    private DelayedCall silence; // optional: the peer has said nothing yet
    private ByteArrayOutputStream handshaking; // decrypted bytes that came before the protocol
    private boolean counted; // counted among the connections waiting for their header

    Reader(Factory<?> factory, SocketAddress connectedFrom, TlsServerOptions tls) {
      super(new Waiting());
      this.factory = factory;
      this.connectedFrom = connectedFrom;
      this.tls = tls;
    }

    @Override
    public void connectionMade() {
      super.connectionMade();
      if (!trusts(connectedFrom)) {
        // Its header would be refused: required, it is closed now; optional, it is served as it is
        // at once (so no untrusted peer holds a connection waiting, nor waits for its greeting).
        if (required) {
          refuse("PROXY protocol: " + connectedFrom + " is not a trusted source");
        } else {
          handOver(null, 0);
        }
        return;
      }
      if (waiting.incrementAndGet() > maxWaiting) {
        counted = true;
        refuse("too many connections waiting for their PROXY protocol header (" + maxWaiting + ")");
        return;
      }
      counted = true;
      deadline =
          time.callLater(timeout, () -> refuse("no PROXY protocol header within " + timeout));
      if (!required) {
        silence = time.callLater(silentFor, () -> handOver(null, 0));
      }
    }

    /**
     * The connection no longer waits for its header: its timers stop, and it stops counting against
     * the bound.
     */
    private void stopWaiting() {
      if (deadline != null && deadline.active()) {
        deadline.cancel();
      }
      if (silence != null && silence.active()) {
        silence.cancel();
      }
      if (counted) {
        counted = false;
        waiting.decrementAndGet();
      }
    }

    @Override
    public void connectionLost(io.torsion.ConnectionClosed reason) {
      stopWaiting();
      super.connectionLost(reason);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      if (handshaking != null) {
        byte[] early = new byte[data.remaining()];
        data.get(early);
        handshaking.writeBytes(early);
        return;
      }
      if (done) {
        super.dataReceived(data);
        return;
      }
      if (silence != null && silence.active()) {
        silence.cancel();
      }
      byte[] more = new byte[data.remaining()];
      data.get(more);
      buffer = concat(buffer, more);
      try {
        read();
      } catch (IllegalArgumentException malformed) {
        refuse(malformed.getMessage());
      }
    }

    private void read() {
      if (startsWith(buffer, V2_SIGNATURE) || startsWith(V2_SIGNATURE, buffer)) {
        if (buffer.length < V2_SIGNATURE.length) {
          return;
        }
        readV2();
      } else if (startsWith(buffer, V1_SIGNATURE) || startsWith(V1_SIGNATURE, buffer)) {
        if (buffer.length < V1_SIGNATURE.length) {
          return;
        }
        readV1();
      } else if (required) {
        refuse("PROXY protocol header required");
      } else {
        handOver(null, 0);
      }
    }

    private void readV1() {
      int end = -1;
      for (int i = 0; i + 1 < buffer.length; i++) {
        if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
          end = i;
          break;
        }
      }
      if (end < 0) {
        if (buffer.length >= Math.min(V1_MAX, maxHeaderSize)) {
          throw new IllegalArgumentException("a PROXY v1 header longer than " + V1_MAX + " bytes");
        }
        return;
      }
      String[] fields = new String(buffer, 0, end, StandardCharsets.US_ASCII).split(" ", -1);
      Header read;
      if (fields.length >= 2 && fields[1].equals("UNKNOWN")) {
        read = new Header(1, null, null, Map.of());
      } else if (fields.length == 6 && (fields[1].equals("TCP4") || fields[1].equals("TCP6"))) {
        read =
            new Header(
                1,
                address(fields[2], fields[4], fields[1].equals("TCP6")),
                address(fields[3], fields[5], fields[1].equals("TCP6")),
                Map.of());
      } else {
        throw new IllegalArgumentException(
            "a malformed PROXY v1 header: "
                + new String(buffer, 0, Math.min(end, 60), StandardCharsets.US_ASCII));
      }
      handOver(read, end + 2);
    }

    private void readV2() {
      if (buffer.length < 16) {
        return;
      }
      int versionCommand = buffer[12] & 0xFF;
      if (versionCommand >> 4 != 2) {
        throw new IllegalArgumentException("a PROXY v2 header of version " + (versionCommand >> 4));
      }
      int command = versionCommand & 0x0F;
      if (command > 1) {
        throw new IllegalArgumentException("a PROXY v2 header with command " + command);
      }
      int length = ((buffer[14] & 0xFF) << 8) | (buffer[15] & 0xFF);
      if (16 + length > maxHeaderSize) {
        throw new IllegalArgumentException(
            "a PROXY v2 header of " + (16 + length) + " bytes, over the limit of " + maxHeaderSize);
      }
      if (buffer.length < 16 + length) {
        return;
      }
      if (command == 0) { // LOCAL: the balancer's own connection; its addresses are ignored
        handOver(new Header(2, null, null, Map.of()), 16 + length);
        return;
      }
      int family = (buffer[13] & 0xFF) >> 4;
      int addressBytes =
          switch (family) {
            case 0 -> 0; // UNSPEC
            case 1 -> 12; // IPv4: two addresses, two ports
            case 2 -> 36; // IPv6
            case 3 -> 216; // UNIX: two paths
            default -> throw new IllegalArgumentException("a PROXY v2 header of family " + family);
          };
      if (length < addressBytes) {
        throw new IllegalArgumentException("a PROXY v2 header too short for its addresses");
      }
      ByteBuffer body = ByteBuffer.wrap(buffer, 16, length);
      SocketAddress source = null;
      SocketAddress destination = null;
      if (family == 1 || family == 2) {
        byte[] from = new byte[family == 1 ? 4 : 16];
        byte[] to = new byte[from.length];
        body.get(from).get(to);
        source = new InetSocketAddress(inet(from), body.getShort() & 0xFFFF);
        destination = new InetSocketAddress(inet(to), body.getShort() & 0xFFFF);
      } else {
        body.position(16 + addressBytes);
      }
      Map<Integer, byte[]> tlvs = new LinkedHashMap<>();
      while (body.remaining() >= 3) {
        int type = body.get() & 0xFF;
        int tlvLength = body.getShort() & 0xFFFF;
        if (tlvLength > body.remaining()) {
          throw new IllegalArgumentException("a PROXY v2 TLV longer than its header");
        }
        byte[] value = new byte[tlvLength];
        body.get(value);
        tlvs.put(type, value);
      }
      if (body.hasRemaining()) {
        throw new IllegalArgumentException("a PROXY v2 header with a truncated TLV");
      }
      handOver(new Header(2, source, destination, Map.copyOf(tlvs)), 16 + length);
    }

    /** The header is read (or there is none): builds the protocol and gives it the rest. */
    private void handOver(Header read, int consumed) {
      done = true;
      stopWaiting();
      header = read;
      ByteBuffer rest = ByteBuffer.wrap(buffer, consumed, buffer.length - consumed);
      buffer = null;
      if (tls == null) {
        build(rest);
        return;
      }
      handshaking = new ByteArrayOutputStream();
      Deferred<TlsInfo> handshake = transport().startTLS(tls, rest);
      handshake.addCallback(
          info -> {
            byte[] early = handshaking.toByteArray();
            handshaking = null;
            build(ByteBuffer.wrap(early));
            return info;
          });
      handshake.addErrback(failed -> null); // the transport closes; the protocol was never built
    }

    private void build(ByteBuffer rest) {
      if (!connected()) {
        return;
      }
      Protocol built = factory.buildProtocol(getPeer());
      if (built == null) {
        transport().loseConnection();
        return;
      }
      switchProtocol(built, rest);
    }

    @Override
    public SocketAddress getPeer() {
      return header != null && header.source() != null ? header.source() : super.getPeer();
    }

    @Override
    public SocketAddress getHost() {
      return header != null && header.destination() != null
          ? header.destination()
          : super.getHost();
    }

    private void refuse(String why) {
      done = true;
      stopWaiting();
      buffer = null;
      if (connected() && !transport().disconnecting()) {
        transport().loseConnection(why);
      }
    }
  }

  private boolean trusts(SocketAddress from) {
    if (trusted.isEmpty()) {
      return true;
    }
    if (!(from instanceof InetSocketAddress inet)) {
      return false;
    }
    byte[] address = inet.getAddress().getAddress();
    for (byte[][] network : trusted) {
      if (network[0].length == address.length && inMask(address, network[0], network[1])) {
        return true;
      }
    }
    return false;
  }

  private static boolean inMask(byte[] address, byte[] network, byte[] mask) {
    for (int i = 0; i < address.length; i++) {
      if ((address[i] & mask[i]) != (network[i] & mask[i])) {
        return false;
      }
    }
    return true;
  }

  private static InetSocketAddress address(String host, String port, boolean six) {
    InetAddress parsed = literal(host);
    if ((parsed.getAddress().length == 16) != six) {
      throw new IllegalArgumentException("a PROXY v1 address of the wrong family: " + host);
    }
    try {
      int number = Integer.parseInt(port);
      if (number < 0 || number > 0xFFFF || !port.matches("0|[1-9][0-9]{0,4}")) {
        throw new NumberFormatException(port);
      }
      return new InetSocketAddress(parsed, number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a PROXY v1 port that is not a port: " + port);
    }
  }

  private static InetAddress literal(String host) {
    boolean four =
        host.matches(
            "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    boolean six = host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+");
    if (!four && !six) {
      throw new IllegalArgumentException("a PROXY v1 address that is not one: " + host);
    }
    try {
      return InetAddress.getByName(host); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("a PROXY v1 address that is not one: " + host);
    }
  }

  private static InetAddress inet(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("a PROXY v2 address of " + raw.length + " bytes");
    }
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    return Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Builds a {@link ProxyProtocol}. */
  public static final class Builder {
    private final ReactorTime time;
    private boolean required;
    private final List<byte[][]> trusted = new ArrayList<>();
    private int maxHeaderSize = DEFAULT_MAX_HEADER;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration silentFor = DEFAULT_SILENT_FOR;
    private int maxWaiting = DEFAULT_MAX_WAITING;

    private Builder(ReactorTime time) {
      this.time = time;
    }

    /** Every connection must open with a header: a listener only a balancer reaches. */
    public Builder required() {
      required = true;
      return this;
    }

    /**
     * A connection may open with a header or not (the default). The protocol is built once the
     * client's first bytes show which, or once it has sent nothing for {@value
     * #DEFAULT_SILENT_MILLIS} ms (a balancer sends its header at once, so such a client connected
     * directly, and a protocol that speaks first greets it). Behind a balancer that always sends a
     * header, prefer {@link #required()}.
     */
    public Builder optional() {
      return optional(DEFAULT_SILENT_FOR);
    }

    /** {@link #optional()}, serving a client that sent nothing after {@code silentFor}. */
    public Builder optional(Duration silentFor) {
      if (silentFor.isNegative() || silentFor.isZero()) {
        throw new IllegalArgumentException("silentFor must be positive");
      }
      required = false;
      this.silentFor = silentFor;
      return this;
    }

    /**
     * Accepts headers only from {@code networks} ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code
     * ::1/128}); by default from every source. A header from another source closes the connection.
     */
    public Builder trust(String... networks) {
      for (String network : networks) {
        int slash = network.indexOf('/');
        InetAddress address = literal(slash < 0 ? network : network.substring(0, slash));
        byte[] bytes = address.getAddress();
        int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(network.substring(slash + 1));
        if (bits < 0 || bits > bytes.length * 8) {
          throw new IllegalArgumentException("a prefix length out of range: " + network);
        }
        byte[] mask = new byte[bytes.length];
        for (int i = 0; i < bits; i++) {
          mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        trusted.add(new byte[][] {bytes, mask});
      }
      return this;
    }

    /** Sets the largest header accepted, in bytes (at least v1's 107). */
    public Builder maxHeaderSize(int bytes) {
      if (bytes < V1_MAX) {
        throw new IllegalArgumentException("maxHeaderSize must be at least " + V1_MAX);
      }
      this.maxHeaderSize = bytes;
      return this;
    }

    /**
     * Sets how many connections (of every listener this policy wraps) may wait for their header at
     * once; more are closed at once. Connections waiting are not yet counted by the limits inside.
     */
    public Builder maxWaiting(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException("maxWaiting must be at least 1");
      }
      this.maxWaiting = connections;
      return this;
    }

    /** Sets how long a connection may take to send its header. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** Returns the policy. */
    public ProxyProtocol build() {
      return new ProxyProtocol(this);
    }
  }
}
