package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PROXY protocol v1 and v2 headers read byte by byte or whole, and every way one can be wrong. */
class ProxyProtocolTest {
  private static final InetSocketAddress BALANCER = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress LISTENER = new InetSocketAddress("127.0.0.1", 8080);
  private final Clock clock = new Clock();

  /** Records the peer its factory was asked for, the transport's view, and what arrives. */
  static final class Client extends Protocol {
    final List<SocketAddress> built = new ArrayList<>();
    SocketAddress peer;
    SocketAddress host;
    ProxyProtocol.Header header;
    final StringBuilder received = new StringBuilder();

    @Override
    public void connectionMade() {
      peer = transport().getPeer();
      host = transport().getHost();
      header = ProxyProtocol.header(transport());
    }

    @Override
    public void dataReceived(ByteBuffer data) {
      received.append(StandardCharsets.ISO_8859_1.decode(data));
    }
  }

  private StringTransport connect(ProxyProtocol policy, Client client) {
    StringTransport transport = new StringTransport(LISTENER, BALANCER);
    Factory<Protocol> factory =
        policy.wrap(
            peer -> {
              client.built.add(peer);
              return client;
            });
    transport.connect(factory.buildProtocol(BALANCER));
    return transport;
  }

  private ProxyProtocol required() {
    return ProxyProtocol.builder(clock).required().trust("127.0.0.0/8").build();
  }

  @Test
  void aV1HeaderNamesTheClientForTheFactoryAndTheTransport() {
    for (boolean byteByByte : new boolean[] {false, true}) {
      Client client = new Client();
      StringTransport transport = connect(required(), client);
      byte[] bytes =
          "PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\nGET / HTTP/1.1\r\n"
              .getBytes(StandardCharsets.US_ASCII);
      if (byteByByte) {
        transport.receiveByteByByte(bytes);
      } else {
        transport.receive(bytes);
      }
      InetSocketAddress real = new InetSocketAddress("203.0.113.7", 56324);
      assertThat(client.built).containsExactly(real);
      assertThat(client.peer).isEqualTo(real);
      assertThat(client.host).isEqualTo(new InetSocketAddress("192.0.2.1", 443));
      assertThat(client.received.toString()).isEqualTo("GET / HTTP/1.1\r\n");
      assertThat(client.header.version()).isEqualTo(1);
      assertThat(transport.disconnecting()).isFalse();
    }
  }

  @Test
  void aV1Tcp6HeaderAndUnknownAreRead() {
    Client six = new Client();
    connect(required(), six)
        .receive(
            "PROXY TCP6 2001:db8::1 2001:db8::2 1234 80\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(six.peer).isEqualTo(new InetSocketAddress("2001:db8::1", 1234));
    Client unknown = new Client();
    connect(required(), unknown).receive("PROXY UNKNOWN\r\nhi".getBytes(StandardCharsets.US_ASCII));
    assertThat(unknown.peer)
        .as("a health check keeps the connection's address")
        .isEqualTo(BALANCER);
    assertThat(unknown.received.toString()).isEqualTo("hi");
  }

  private static byte[] v2(int command, int family, byte[] addresses, byte[] tlvs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    out.write(0x20 | command);
    out.write(family << 4 | 1);
    int length = addresses.length + tlvs.length;
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(addresses);
    out.writeBytes(tlvs);
    return out.toByteArray();
  }

  @Test
  void aV2HeaderNamesTheClientAndCarriesItsTlvs() {
    ByteBuffer addresses = ByteBuffer.allocate(12);
    addresses.put(new byte[] {(byte) 198, 51, 100, 9}).put(new byte[] {10, 0, 0, 1});
    addresses.putShort((short) 61000).putShort((short) 443);
    byte[] sni = "example.org".getBytes(StandardCharsets.UTF_8);
    ByteBuffer tlv = ByteBuffer.allocate(3 + sni.length).put((byte) 0x02);
    tlv.putShort((short) sni.length).put(sni);
    byte[] header = v2(1, 1, addresses.array(), tlv.array());
    for (boolean byteByByte : new boolean[] {false, true}) {
      Client client = new Client();
      StringTransport transport = connect(required(), client);
      byte[] bytes = concat(header, "after".getBytes(StandardCharsets.US_ASCII));
      if (byteByByte) {
        transport.receiveByteByByte(bytes);
      } else {
        transport.receive(bytes);
      }
      assertThat(client.peer).isEqualTo(new InetSocketAddress("198.51.100.9", 61000));
      assertThat(client.host).isEqualTo(new InetSocketAddress("10.0.0.1", 443));
      assertThat(client.header.version()).isEqualTo(2);
      assertThat(client.header.authority()).isEqualTo("example.org");
      assertThat(client.received.toString()).isEqualTo("after");
    }
  }

  @Test
  void aV2Ipv6HeaderAndALocalOneAreRead() {
    ByteBuffer addresses = ByteBuffer.allocate(36);
    byte[] one = new byte[16];
    one[0] = 0x20;
    one[1] = 0x01;
    one[15] = 1;
    addresses.put(one).put(new byte[16]).putShort((short) 5000).putShort((short) 80);
    Client six = new Client();
    connect(required(), six).receive(v2(1, 2, addresses.array(), new byte[0]));
    assertThat(((InetSocketAddress) six.peer).getPort()).isEqualTo(5000);
    assertThat(((InetSocketAddress) six.peer).getAddress().getHostAddress()).startsWith("2001:");
    Client local = new Client();
    connect(required(), local).receive(v2(0, 0, new byte[0], new byte[0]));
    assertThat(local.peer).isEqualTo(BALANCER);
  }

  @Test
  void withoutAHeaderARequiredListenerClosesAndAnOptionalOneServes() {
    Client refused = new Client();
    StringTransport closed = connect(required(), refused);
    closed.receive("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(closed.disconnecting()).isTrue();
    assertThat(closed.closeReason()).isEqualTo("PROXY protocol header required");
    assertThat(refused.built).isEmpty();

    Client served = new Client();
    StringTransport open = connect(ProxyProtocol.builder(clock).optional().build(), served);
    open.receiveByteByByte("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(served.peer).isEqualTo(BALANCER);
    assertThat(served.received.toString()).isEqualTo("GET / HTTP/1.1\r\n");
    assertThat(served.header).isNull();
  }

  @Test
  void anUntrustedSourceIsRefusedAtOnceWhenRequiredAndServedAtOnceWhenOptional() {
    Client refused = new Client();
    StringTransport closed =
        connect(ProxyProtocol.builder(clock).required().trust("10.0.0.0/8").build(), refused);
    assertThat(closed.closeReason())
        .isEqualTo("PROXY protocol: " + BALANCER + " is not a trusted source");
    assertThat(refused.built).isEmpty();

    Client direct = new Client();
    StringTransport served =
        connect(ProxyProtocol.builder(clock).optional().trust("10.0.0.0/8").build(), direct);
    assertThat(direct.built).containsExactly(BALANCER); // no wait: it may not send a header
    served.receive("PROXY TCP4 1.2.3.4 4.5.6.7 1 2\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(direct.received.toString()).isEqualTo("PROXY TCP4 1.2.3.4 4.5.6.7 1 2\r\n");
    assertThat(direct.peer).isEqualTo(BALANCER);
  }

  @Test
  void connectionsWaitingForTheirHeaderAreBounded() {
    ProxyProtocol policy = ProxyProtocol.builder(clock).required().maxWaiting(2).build();
    StringTransport first = connect(policy, new Client());
    StringTransport second = connect(policy, new Client());
    StringTransport third = connect(policy, new Client());
    assertThat(first.disconnecting()).isFalse();
    assertThat(second.disconnecting()).isFalse();
    assertThat(third.closeReason())
        .isEqualTo("too many connections waiting for their PROXY protocol header (2)");
    // One sends its header: it no longer waits, so a new connection may.
    first.receive(
        "PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n".getBytes(StandardCharsets.US_ASCII));
    StringTransport fourth = connect(policy, new Client());
    assertThat(fourth.disconnecting()).isFalse();
    // One gives up (its deadline): another may come.
    clock.advance(Duration.ofSeconds(10));
    assertThat(second.disconnecting()).isTrue();
    assertThat(fourth.disconnecting()).isTrue();
    assertThat(connect(policy, new Client()).disconnecting()).isFalse();
  }

  @Test
  void anOptionalListenerServesASilentClientAfterAMomentSoAProtocolThatSpeaksFirstGreetsIt() {
    Client silent = new Client();
    StringTransport open = connect(ProxyProtocol.builder(clock).optional().build(), silent);
    clock.advance(Duration.ofMillis(ProxyProtocol.DEFAULT_SILENT_MILLIS - 1));
    assertThat(silent.built).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(silent.built).containsExactly(BALANCER);
    open.receive("HELLO\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(silent.received.toString()).isEqualTo("HELLO\r\n");
    clock.advance(Duration.ofSeconds(20)); // the header's deadline was cancelled
    assertThat(open.disconnecting()).isFalse();

    // A header's first byte within the moment: the header is read, however slowly, within 10 s.
    Client slow = new Client();
    StringTransport proxied = connect(ProxyProtocol.builder(clock).optional().build(), slow);
    proxied.receive("PRO".getBytes(StandardCharsets.US_ASCII));
    clock.advance(Duration.ofSeconds(2));
    assertThat(slow.built).isEmpty();
    proxied.receive(
        "XY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(slow.built).containsExactly(new InetSocketAddress("203.0.113.7", 56324));
  }

  @Test
  void aBadHeaderAnUntrustedSourceOrASilentPeerIsClosedWithTheReason() {
    assertThat(closedBy(required(), "PROXY TCP4 1.2.3 4.5.6.7 1 2\r\n")).contains("not one: 1.2.3");
    assertThat(closedBy(required(), "PROXY TCP4 1.2.3.4 4.5.6.7 99999 2\r\n"))
        .contains("not a port: 99999");
    assertThat(closedBy(required(), "PROXY UDP4 1.2.3.4 4.5.6.7 1 2\r\n")).contains("malformed");
    assertThat(closedBy(required(), "PROXY TCP4 " + "1".repeat(120))).contains("longer than 107");
    byte[] huge = v2(1, 1, new byte[12], new byte[5000]);
    assertThat(closedBy(required(), new String(huge, StandardCharsets.ISO_8859_1)))
        .contains("over the limit of 4096");
    // (A source not trusted is closed before it can send: see the test above.)

    Client silent = new Client();
    StringTransport waiting = connect(required(), silent);
    waiting.receive("PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII));
    clock.advance(Duration.ofSeconds(9));
    assertThat(waiting.disconnecting()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(waiting.closeReason()).isEqualTo("no PROXY protocol header within PT10S");
  }

  private String closedBy(ProxyProtocol policy, String sent) {
    Client client = new Client();
    StringTransport transport = connect(policy, client);
    transport.receive(sent.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(transport.disconnecting()).as(sent).isTrue();
    assertThat(client.built).isEmpty();
    return transport.closeReason();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
