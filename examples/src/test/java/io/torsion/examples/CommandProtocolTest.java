package io.torsion.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.testing.StringTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CommandProtocolTest {
  private final io.torsion.testing.Clock time = new io.torsion.testing.Clock();
  private final CommandProtocol.Server server =
      new CommandProtocol.Server(
          time,
          Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC),
          new LocalBoard());

  private StringTransport connect() {
    StringTransport transport = new StringTransport();
    transport.connect(server.buildProtocol(transport.getPeer()));
    transport.clear(); // the welcome line
    return transport;
  }

  @Test
  void answersEveryCommand() {
    StringTransport transport = connect();
    transport.receive("HELP\r\necho  spaced  out \r\nTIME\r\n");
    time.advance(Duration.ofSeconds(42));
    transport.receive("STATS\r\n");
    assertThat(transport.valueUtf8())
        .isEqualTo(
            CommandProtocol.HELP
                + "\r\n"
                + " spaced  out \r\n"
                + "2026-11-21T12:00:00Z\r\n"
                + "connections=1 commands=4 uptime=42s\r\n");
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void unknownAndEmptyCommandsGetAnErrorAndTheConnectionStaysOpen() {
    StringTransport transport = connect();
    transport.receive("FROB\r\n\r\n");
    assertThat(transport.valueUtf8())
        .startsWith("ERROR unknown command FROB")
        .contains("ERROR empty command");
    assertThat(transport.disconnecting()).isFalse();
  }

  @Test
  void startTlsWithoutACertificateSaysWhatIsMissingAndTheSessionGoesOnInPlaintext() {
    StringTransport transport = connect();
    transport.receive("STARTTLS\r\nECHO still here\r\n");
    assertThat(transport.valueUtf8())
        .isEqualTo(
            "ERROR STARTTLS needs a certificate: start the demo with --https-port or --cert\r\n"
                + "still here\r\n");
    assertThat(transport.tls()).isNull();
  }

  @Test
  void theArgumentIsEverythingAfterTheFirstSpaceByteForByte() {
    StringTransport transport = connect();
    transport.receive("ECHO a \r\nSET k  two  spaces \r\nGET k\r\n");
    assertThat(transport.valueUtf8()).isEqualTo("a \r\nOK\r\nVALUE  two  spaces \r\n");
  }

  @Test
  void aBareLfEndsALineForPeopleTypingIntoNc() {
    StringTransport transport = connect();
    transport.receive("WATCH\nECHO hi\n");
    assertThat(transport.valueUtf8()).isEqualTo("WATCHING\r\nhi\r\n");
  }

  @Test
  void commandsPipelinedAfterQuitChangeNothing() {
    Board board = new LocalBoard();
    CommandProtocol.Server own = new CommandProtocol.Server(time, Clock.systemUTC(), board);
    StringTransport transport = new StringTransport();
    transport.connect(own.buildProtocol(transport.getPeer()));
    transport.receive("QUIT\r\nSET k v\r\n");
    assertThat(io.torsion.testing.DeferredResults.successResultOf(board.get("k"))).isNull();
    assertThat(transport.disconnecting()).isTrue();
  }

  @Test
  void quitSaysByeAndCloses() {
    StringTransport transport = connect();
    transport.receiveByteByByte("QUIT\r\nECHO after\r\n".getBytes());
    assertThat(transport.valueUtf8()).isEqualTo("BYE\r\n");
    assertThat(transport.disconnecting()).isTrue();
  }
}
