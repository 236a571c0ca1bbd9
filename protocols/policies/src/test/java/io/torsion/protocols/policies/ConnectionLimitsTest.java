package io.torsion.protocols.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.ConnectionDone;
import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.testing.StringTransport;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  private static StringTransport from(String address, int port) {
    return new StringTransport(
        new InetSocketAddress("127.0.0.1", 8000), new InetSocketAddress(address, port));
  }

  private static StringTransport open(Factory<Protocol> factory, String address, int port) {
    StringTransport transport = from(address, port);
    transport.connect(factory.buildProtocol(transport.getPeer()));
    return transport;
  }

  @Test
  void connectionsOverTheTotalAreRefusedAtOnceWithTheMessageAndCounted() {
    ConnectionLimits limits =
        ConnectionLimits.builder().maxConnections(2).refusal("ERROR busy\r\n").build();
    Factory<Protocol> factory = limits.wrap(Factory.of(() -> new Protocol() {}));
    StringTransport first = open(factory, "127.0.0.1", 1);
    open(factory, "127.0.0.2", 2);
    StringTransport third = open(factory, "127.0.0.3", 3);
    assertThat(first.disconnecting()).isFalse();
    assertThat(third.valueUtf8()).isEqualTo("ERROR busy\r\n");
    assertThat(third.closeReason()).contains("over the limit of 2 connections");
    assertThat(limits.refused()).isEqualTo(1);
    assertThat(limits.open()).isEqualTo(2);
    first.peerClose(new ConnectionDone("bye"));
    assertThat(limits.open()).isEqualTo(1);
    assertThat(open(factory, "127.0.0.3", 4).disconnecting()).as("a place is free again").isFalse();
  }

  @Test
  void connectionsOverThePerPeerLimitAreRefusedWhileOtherPeersAreServed() {
    ConnectionLimits limits = ConnectionLimits.builder().maxPerPeer(2).build();
    Factory<Protocol> factory = limits.wrap(Factory.of(() -> new Protocol() {}));
    StringTransport a1 = open(factory, "127.0.0.1", 1);
    open(factory, "127.0.0.1", 2);
    StringTransport a3 = open(factory, "127.0.0.1", 3);
    StringTransport b1 = open(factory, "127.0.0.2", 1);
    assertThat(a3.closeReason()).contains("from 127.0.0.1");
    assertThat(b1.disconnecting()).isFalse();
    a1.peerClose(new ConnectionDone("bye"));
    assertThat(open(factory, "127.0.0.1", 4).disconnecting()).isFalse();
    assertThat(limits.refused()).isEqualTo(1);
  }

  @Test
  void aConnectionTheWrappedFactoryRefusesGivesItsPlaceBack() {
    ConnectionLimits limits = ConnectionLimits.builder().maxConnections(1).build();
    Factory<Protocol> factory = limits.wrap(peer -> null);
    assertThat(factory.buildProtocol(new InetSocketAddress("127.0.0.1", 1))).isNull();
    assertThat(limits.open()).isZero();
  }
}
