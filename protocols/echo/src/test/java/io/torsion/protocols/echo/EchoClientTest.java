package io.torsion.protocols.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.torsion.ConnectionLost;
import io.torsion.Deferred;
import io.torsion.testing.StringTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoClientTest {
  @Test
  void matchesRepliesToMessagesInOrderWhateverTheSplits() {
    StringTransport transport = new StringTransport();
    EchoClient client = transport.connect(new EchoClient());
    List<String> replies = new ArrayList<>();
    client.send("one").addCallback(replies::add);
    client.send("three").addCallback(replies::add);
    assertThat(transport.valueUtf8()).isEqualTo("onethree");
    transport.receive("on");
    assertThat(replies).isEmpty();
    transport.receive("ethr");
    assertThat(replies).containsExactly("one");
    transport.receiveByteByByte("ee".getBytes());
    assertThat(replies).containsExactly("one", "three");
    assertThat(client.pendingReplies()).isZero();
  }

  @Test
  void pendingRepliesFailWhenTheConnectionIsLost() {
    StringTransport transport = new StringTransport();
    EchoClient client = transport.connect(new EchoClient());
    List<Throwable> errors = new ArrayList<>();
    Deferred<String> reply = client.send("never answered");
    reply.addErrback(
        f -> {
          errors.add(f.value());
          return null;
        });
    ConnectionLost lost = new ConnectionLost("reset", null);
    transport.peerClose(lost); // a reset: the client hears a ConnectionLost with its message
    assertThat(errors)
        .singleElement()
        .isInstanceOf(ConnectionLost.class)
        .extracting(Throwable::getMessage)
        .isEqualTo("reset");
    List<Throwable> late = new ArrayList<>();
    client
        .send("after")
        .addErrback(
            f -> {
              late.add(f.value());
              return null;
            });
    assertThat(late).containsExactlyElementsOf(errors);
  }
}
