package io.torsion.protocols.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.testing.StringTransport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoTest {
  private static final byte[] MESSAGE = "hello, echo\r\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void echoesWholeInput() {
    StringTransport transport = new StringTransport();
    transport.connect(new Echo());
    transport.receive(MESSAGE);
    assertThat(transport.value()).isEqualTo(MESSAGE);
  }

  @Test
  void echoesInputFedByteByByte() {
    StringTransport transport = new StringTransport();
    transport.connect(new Echo());
    transport.receiveByteByByte(MESSAGE);
    assertThat(transport.value()).isEqualTo(MESSAGE);
  }

  @Test
  void echoesInputSplitAtEveryPoint() {
    for (int split = 0; split <= MESSAGE.length; split++) {
      StringTransport transport = new StringTransport();
      transport.connect(new Echo());
      transport.receiveSplit(MESSAGE, split);
      assertThat(transport.value()).as("split at %d", split).isEqualTo(MESSAGE);
    }
  }

  @Test
  void discardWritesNothingAndCounts() {
    StringTransport transport = new StringTransport();
    Discard discard = transport.connect(new Discard());
    transport.receive(MESSAGE);
    transport.receive(MESSAGE);
    assertThat(transport.value()).isEmpty();
    assertThat(discard.discarded()).isEqualTo(2L * MESSAGE.length);
  }
}
