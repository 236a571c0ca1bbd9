package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.torsion.protocols.line.LineReceiver;
import io.torsion.testing.ConnectedPair;
import io.torsion.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same protocol tested in memory, through the reactor's real connection code. */
class ShoutServerInMemoryTest {
  @Test
  void answersInCapitalsOverAStringTransport() {
    StringTransport transport = new StringTransport();
    transport.connect(new ShoutServer());
    transport.receive("hello\r\nagain\r\n");
    assertEquals("HELLO\r\nAGAIN\r\n", transport.valueUtf8());
    transport.loseConnection();
    assertTrue(transport.disconnecting());
  }

  @Test
  void answersAClientConnectedInMemory() {
    List<String> heard = new ArrayList<>();
    LineReceiver client = new LineReceiver() {
      @Override
      public void lineReceived(String line) {
        heard.add(line);
      }
    };
    ConnectedPair<ShoutServer, LineReceiver> pair = ConnectedPair.connect(new ShoutServer(), client);
    client.sendLine("quiet please");
    pair.pump();
    assertEquals(List.of("QUIET PLEASE"), heard);
  }
}
