package io.torsion.protocols.unification;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.Factory;
import io.torsion.Protocol;
import io.torsion.testing.Clock;
import io.torsion.testing.StringTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortUnificationTest {
  private final Clock clock = new Clock();
  private final List<String> events = new ArrayList<>();

  /** Records what it is given, tagged with its name. */
  private Factory<Protocol> recorder(String name) {
    return peer ->
        new Protocol() {
          @Override
          public void connectionMade() {
            events.add(name + " made");
          }

          @Override
          public void dataReceived(ByteBuffer data) {
            events.add(name + ": " + StandardCharsets.UTF_8.decode(data));
          }
        };
  }

  private PortUnification unification() {
    return PortUnification.builder(clock)
        .route("http", 4, PortUnification.startsWithAny("GET ", "POST"), recorder("http"))
        .fallback(recorder("line"))
        .sniffLimit(16)
        .timeout(Duration.ofSeconds(2))
        .build();
  }

  private StringTransport connect() {
    StringTransport transport = new StringTransport();
    transport.connect(unification().buildProtocol(transport.getPeer()));
    return transport;
  }

  @Test
  void aMatchingPrefixGoesToItsRouteWithEveryByte() {
    StringTransport transport = connect();
    transport.receiveByteByByte("GE".getBytes());
    assertThat(events).isEmpty();
    transport.receive("T / HTTP/1.1\r\n");
    transport.receive("Host: x\r\n");
    assertThat(events)
        .containsExactly("http made", "http: GET / HTTP/1.1\r\n", "http: Host: x\r\n");
    assertThat(clock.pendingCalls()).as("the timeout is cancelled").isZero();
  }

  @Test
  void anythingElseGoesToTheFallbackAsSoonAsEveryRouteSaidNo() {
    StringTransport transport = connect();
    transport.receive("HELP\r\n");
    assertThat(events).containsExactly("line made", "line: HELP\r\n");
  }

  @Test
  void aSilentClientGetsTheFallbackAfterTheTimeout() {
    StringTransport transport = connect();
    clock.advance(Duration.ofMillis(1999));
    assertThat(events).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(events).containsExactly("line made");
    transport.receive("late");
    assertThat(events).containsExactly("line made", "line: late");
  }

  @Test
  void aTooShortPrefixWaitsForMoreBytesOrTheTimeout() {
    StringTransport transport = connect();
    transport.receive("GE");
    clock.advance(Duration.ofSeconds(2));
    assertThat(events).containsExactly("line made", "line: GE");
  }

  @Test
  void aRouteLongerThanTheSniffLimitIsRefusedAtBuildTime() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                PortUnification.builder(clock)
                    .route("long", 100, head -> true, recorder("x"))
                    .fallback(recorder("y"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sniff limit");
  }
}
