package io.torsion.protocols.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.BackgroundReactor;
import io.torsion.Reactor;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatagramEchoTest {
  @Test
  void everyDatagramGoesBackToItsSender() throws Exception {
    try (BackgroundReactor background = BackgroundReactor.start(Reactor.create());
        DatagramSocket first = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket second = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      DatagramEcho echo = new DatagramEcho();
      InetSocketAddress at =
          background.call(() -> background.reactor().listenUDP(0, "127.0.0.1", echo).getHost());
      first.setSoTimeout(30_000);
      second.setSoTimeout(30_000);
      send(first, at, "from the first");
      send(second, at, "from the second");
      assertThat(receive(second)).isEqualTo("from the second");
      assertThat(receive(first)).isEqualTo("from the first");
      assertThat(background.call(echo::echoed)).isEqualTo(2);
    }
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, String text)
      throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  private static String receive(DatagramSocket socket) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[1024], 1024);
    socket.receive(packet);
    return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
  }
}
