package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.DatagramOptions;
import io.torsion.DatagramProtocol;
import io.torsion.DatagramTransport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's UDP tests: {@code listenUDP} over IPv4 and IPv6 loopback, against plain JDK
 * sockets: echo, the size limit, connected mode and its ICMP refusal, broadcast, multicast
 * membership, contained exceptions, stopping.
 */
public interface DatagramConformance extends KitContext {

  /** Echoes every datagram to its sender, but throws on "boom"; records what it hears. */
  final class UdpEcho extends DatagramProtocol {
    final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> refused = new CompletableFuture<>();
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    final boolean echo;

    UdpEcho(boolean echo) {
      this.echo = echo;
    }

    @Override
    public void datagramReceived(ByteBuffer data, InetSocketAddress sender) {
      ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
      String text = StandardCharsets.UTF_8.decode(copy.duplicate()).toString();
      heard.add(text);
      if (text.equals("boom")) {
        throw new IllegalStateException("a protocol that throws");
      }
      if (echo) {
        transport().write(copy, sender);
      }
    }

    @Override
    public void connectionRefused() {
      refused.complete(null);
    }

    @Override
    public void stopProtocol() {
      stopped.complete(null);
    }
  }

  private DatagramTransport listenUdp(String host, DatagramProtocol protocol, DatagramOptions o) {
    return background().call(() -> reactor().listenUDP(0, host, protocol, o));
  }

  private static String roundTrip(DatagramSocket peer, InetSocketAddress to, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    peer.send(new DatagramPacket(bytes, bytes.length, to));
    return receive(peer);
  }

  private static String receive(DatagramSocket peer) throws IOException {
    byte[] buffer = new byte[65_536];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    peer.receive(packet);
    return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
  }

  private static DatagramSocket peer(String host) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0));
    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Kit.WAIT_SECONDS));
    return socket;
  }

  @Test
  default void udpEchoesEachDatagramToItsSenderOverIpv4() throws Exception {
    UdpEcho echo = new UdpEcho(true);
    DatagramTransport port = listenUdp("127.0.0.1", echo, DatagramOptions.defaults());
    InetSocketAddress at = background().call(port::getHost);
    assertThat(at.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(at.getPort()).isPositive();
    try (DatagramSocket peer = peer("127.0.0.1")) {
      assertThat(roundTrip(peer, at, "hello")).isEqualTo("hello");
      assertThat(Kit.take(echo.heard)).isEqualTo("hello");
      try (DatagramSocket quiet = peer("127.0.0.1")) {
        // An empty datagram arrives (Netty's NIO and epoll channels send none: no echo to wait
        // for).
        quiet.send(new DatagramPacket(new byte[0], 0, at));
        assertThat(Kit.take(echo.heard)).isEmpty();
      }
      String large = "x".repeat(DatagramOptions.DEFAULT_MAX_DATAGRAM_SIZE);
      assertThat(roundTrip(peer, at, large)).isEqualTo(large);
    }
    await(outcome(port::stopListening));
    await(echo.stopped);
  }

  @Test
  default void udpEchoesOverIpv6() throws Exception {
    Assumptions.assumeTrue(ipv6Loopback(), "this machine has no IPv6 loopback (::1)");
    DatagramTransport port = listenUdp("::1", new UdpEcho(true), DatagramOptions.defaults());
    InetSocketAddress at = background().call(port::getHost);
    try (DatagramSocket peer = peer("::1")) {
      assertThat(roundTrip(peer, at, "over six")).isEqualTo("over six");
    }
    await(outcome(port::stopListening));
  }

  @Test
  default void aDatagramOverTheLimitIsDroppedAndCountedAndTheNextArrives() throws Exception {
    UdpEcho echo = new UdpEcho(true);
    DatagramTransport port =
        listenUdp("127.0.0.1", echo, DatagramOptions.defaults().withMaxDatagramSize(100));
    InetSocketAddress at = background().call(port::getHost);
    try (DatagramSocket peer = peer("127.0.0.1")) {
      byte[] big = new byte[60_000];
      peer.send(new DatagramPacket(big, big.length, at));
      peer.send(new DatagramPacket(new byte[101], 101, at));
      assertThat(roundTrip(peer, at, "y".repeat(100))).isEqualTo("y".repeat(100));
    }
    assertThat(background().call(port::oversizedDropped)).isEqualTo(2);
    assertThat(echo.heard).containsExactly("y".repeat(100));
    await(outcome(port::stopListening));
  }

  @Test
  default void anExceptionInDatagramReceivedIsContained() throws Exception {
    DatagramTransport port = listenUdp("127.0.0.1", new UdpEcho(true), DatagramOptions.defaults());
    InetSocketAddress at = background().call(port::getHost);
    try (DatagramSocket peer = peer("127.0.0.1")) {
      byte[] boom = "boom".getBytes(StandardCharsets.UTF_8);
      peer.send(new DatagramPacket(boom, boom.length, at));
      assertThat(roundTrip(peer, at, "after")).isEqualTo("after");
    }
    await(outcome(port::stopListening));
  }

  @Test
  default void aConnectedPortWritesToItsPeerAndHearsTheRefusal() throws Exception {
    UdpEcho client = new UdpEcho(false);
    DatagramTransport port = listenUdp("127.0.0.1", client, DatagramOptions.defaults());
    DatagramSocket peer = peer("127.0.0.1");
    int peerPort = peer.getLocalPort();
    background()
        .call(
            () -> {
              port.connect("127.0.0.1", peerPort);
              return null;
            });
    assertThat(background().call(port::connectedTo))
        .isEqualTo(new InetSocketAddress("127.0.0.1", peerPort));
    background()
        .call(
            () -> {
              port.write(ByteBuffer.wrap("to you".getBytes(StandardCharsets.UTF_8)));
              return null;
            });
    assertThat(receive(peer)).isEqualTo("to you");
    peer.close(); // nothing listens there now: the next write draws an ICMP port unreachable
    for (int i = 0; i < 20 && !client.refused.isDone(); i++) {
      background()
          .call(
              () -> {
                port.write(ByteBuffer.wrap(new byte[] {1}));
                return null;
              });
      try {
        client.refused.get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        // the ICMP answer comes back asynchronously: write again
      }
    }
    assertThat(client.refused).as("connectionRefused was called").isDone();
    assertThatThrownBy(
            () ->
                background()
                    .call(
                        () -> {
                          port.connect("localhost", 9);
                          return null;
                        }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IP address");
    await(outcome(port::stopListening));
  }

  @Test
  default void broadcastNeedsToBeAllowed() throws Exception {
    DatagramTransport port = listenUdp("127.0.0.1", new UdpEcho(false), DatagramOptions.defaults());
    try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress("0.0.0.0", 0))) {
      receiver.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Kit.WAIT_SECONDS));
      InetSocketAddress everyone =
          new InetSocketAddress("127.255.255.255", receiver.getLocalPort());
      InetSocketAddress direct = new InetSocketAddress("127.0.0.1", receiver.getLocalPort());
      assertThat(background().call(port::broadcastAllowed)).isFalse();
      background()
          .call(
              () -> {
                port.write("refused".getBytes(StandardCharsets.UTF_8), everyone);
                port.write("direct".getBytes(StandardCharsets.UTF_8), direct);
                return null;
              });
      assertThat(receive(receiver)).as("no broadcast before it is allowed").isEqualTo("direct");
      background()
          .call(
              () -> {
                port.setBroadcastAllowed(true);
                port.write("to everyone".getBytes(StandardCharsets.UTF_8), everyone);
                return null;
              });
      assertThat(receive(receiver)).isEqualTo("to everyone");
      assertThat(background().call(port::broadcastAllowed)).isTrue();
    }
    await(outcome(port::stopListening));
  }

  @Test
  default void aPortJoinsAndLeavesAMulticastGroup() throws Exception {
    NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    Assumptions.assumeTrue(loopback != null, "no loopback interface");
    UdpEcho listener = new UdpEcho(false);
    DatagramTransport port =
        listenUdp("0.0.0.0", listener, DatagramOptions.defaults().withReuseAddress(true));
    int groupPort = background().call(port::getHost).getPort();
    await(outcome(() -> port.joinGroup("239.255.42.99", "127.0.0.1")));
    CompletableFuture<Throwable> notAGroup =
        outcome(() -> port.joinGroup("10.0.0.1", null)).handle((ok, error) -> error);
    assertThat(await(notAGroup))
        .as("not a multicast address")
        .isInstanceOf(IllegalArgumentException.class);
    try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
      sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback);
      sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      InetSocketAddress group = new InetSocketAddress("239.255.42.99", groupPort);
      sender.send(ByteBuffer.wrap("to the group".getBytes(StandardCharsets.UTF_8)), group);
      assertThat(Kit.take(listener.heard)).isEqualTo("to the group");
      await(outcome(() -> port.leaveGroup("239.255.42.99", "127.0.0.1")));
      sender.send(ByteBuffer.wrap("left".getBytes(StandardCharsets.UTF_8)), group);
      sender.send(
          ByteBuffer.wrap("direct".getBytes(StandardCharsets.UTF_8)),
          new InetSocketAddress("127.0.0.1", groupPort));
      assertThat(Kit.take(listener.heard))
          .as("nothing from the group once left")
          .isEqualTo("direct");
    }
    background()
        .call(
            () -> {
              port.setLoopbackMode(false);
              port.setTTL(2);
              return null;
            });
    await(outcome(port::stopListening));
  }

  @Test
  default void aStoppedPortReleasesItsAddress() throws Exception {
    UdpEcho echo = new UdpEcho(true);
    DatagramTransport port = listenUdp("127.0.0.1", echo, DatagramOptions.defaults());
    InetSocketAddress at = background().call(port::getHost);
    await(outcome(port::stopListening));
    await(echo.stopped);
    try (DatagramSocket again = new DatagramSocket(at)) {
      assertThat(again.getLocalPort()).isEqualTo(at.getPort());
    }
    assertThatThrownBy(
            () -> {
              try (DatagramSocket taken =
                  new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                background()
                    .call(
                        () ->
                            reactor()
                                .listenUDP(taken.getLocalPort(), "127.0.0.1", new UdpEcho(true)));
              }
            })
        .isInstanceOf(CannotListenError.class)
        .hasMessageContaining("127.0.0.1");
  }

  private static boolean ipv6Loopback() {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("::1", 0))) {
      return probe.getLocalPort() > 0;
    } catch (SocketException e) {
      return false;
    }
  }
}
