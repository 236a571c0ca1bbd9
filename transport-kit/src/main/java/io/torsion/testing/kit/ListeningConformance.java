package io.torsion.testing.kit;

import static io.torsion.testing.kit.Kit.await;
import static io.torsion.testing.kit.Kit.connectFromBoundPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.torsion.CannotListenError;
import io.torsion.Factory;
import io.torsion.ListeningPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit's tests of listening: ports chosen and in use, IPv6 loopback, stopping, and
 * factories started and stopped around a port.
 */
public interface ListeningConformance extends KitContext {

  @Test
  default void listeningOnPortZeroReportsTheChosenPort() {
    ListeningPort port =
        background()
            .call(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))));
    assertThat(port.port()).isBetween(1, 65535);
    assertThat(port.getHost().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  default void listeningOnAPortInUseFailsWithCannotListenError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  background()
                      .call(
                          () ->
                              reactor()
                                  .listenTCP(
                                      port, "127.0.0.1", Factory.of(() -> new Recorder(true)))))
          .isInstanceOf(CannotListenError.class)
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  @Test
  default void listeningOnIpv6LoopbackWorksWhereAvailable() throws Exception {
    InetAddress ipv6 = InetAddress.getByName("::1");
    try (ServerSocket probe = new ServerSocket(0, 1, ipv6)) {
      probe.getLocalPort();
    } catch (IOException noIpv6) {
      Assumptions.abort("IPv6 loopback is not available here: " + noIpv6);
    }
    int port =
        background()
            .call(() -> reactor().listenTCP(0, "::1", Factory.of(() -> new Recorder(true))).port());
    try (Peer peer = Peer.connect(ipv6, port)) {
      peer.write("six");
      assertThat(peer.readUtf8(3)).isEqualTo("six");
    }
  }

  @Test
  default void stopListeningClosesThePortButKeepsConnections() throws Exception {
    ListeningPort port =
        background()
            .call(() -> reactor().listenTCP(0, "127.0.0.1", Factory.of(() -> new Recorder(true))));
    try (Peer peer = Peer.connect(port.port())) {
      peer.write("1");
      assertThat(peer.readUtf8(1)).isEqualTo("1");
      await(outcome(port::stopListening));
      assertThatThrownBy(() -> connectFromBoundPort(port.port()))
          .isInstanceOf(ConnectException.class);
      peer.write("2");
      assertThat(peer.readUtf8(1)).isEqualTo("2");
    }
  }

  @Test
  default void startAndStopFactoryBracketTheListeningPort() {
    List<String> events = new CopyOnWriteArrayList<>();
    Factory<Recorder> factory =
        new Factory<>() {
          @Override
          public Recorder buildProtocol(SocketAddress peer) {
            return new Recorder(false);
          }

          @Override
          public void startFactory() {
            events.add("start");
          }

          @Override
          public void stopFactory() {
            events.add("stop");
          }
        };
    ListeningPort port = background().call(() -> reactor().listenTCP(0, "127.0.0.1", factory));
    assertThat(events).containsExactly("start");
    await(outcome(port::stopListening));
    assertThat(events).containsExactly("start", "stop");
  }

  @Test
  default void adoptingADescriptorThatIsNoSocketIsRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                background()
                    .call(
                        () ->
                            reactor()
                                .adoptStreamPort(999_999, Factory.of(() -> new Recorder(true)))))
        .isInstanceOf(CannotListenError.class)
        .hasMessageStartingWith("cannot adopt file descriptor 999999: ");
    // every transport says in its report what it has beyond TCP
    assertThat(reactor().report().details())
        .anyMatch(line -> line.startsWith("udp: "))
        .anyMatch(line -> line.startsWith("unix sockets: "))
        .anyMatch(line -> line.startsWith("adopting sockets: "));
    assertThatThrownBy(
            () ->
                background()
                    .call(
                        () -> reactor().adoptStreamPort(-1, Factory.of(() -> new Recorder(true)))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
