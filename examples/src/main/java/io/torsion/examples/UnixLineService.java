package io.torsion.examples;

import io.torsion.Deferred;
import io.torsion.Factory;
import io.torsion.PeerCredentials;
import io.torsion.Reactor;
import io.torsion.endpoints.Endpoints;
import io.torsion.protocols.line.LineReceiver;
import java.io.IOException;

/**
 * A line service on a UNIX domain socket, and its client, in one file: the server greets each
 * client with who the kernel says it is ({@code peerCredentials()}, where the transport gives them)
 * and answers {@code upper TEXT} lines; the client sends one line and prints the answer. Listening
 * and connecting go through endpoint strings, so the same code serves TCP with {@code tcp:8001}.
 * Run {@code UnixLineService serve unix:/tmp/upper.sock:mode=600}, then {@code UnixLineService ask
 * unix:path=/tmp/upper.sock hello}.
 */
public final class UnixLineService {
  /** Answers each {@code upper TEXT} line with TEXT in capitals. */
  static final class Upper extends LineReceiver {
    @Override
    public void connectionMade() {
      PeerCredentials peer = transport().peerCredentials();
      sendLine(peer == null ? "hello" : "hello uid " + peer.uid() + " pid " + peer.pid());
    }

    @Override
    public void lineReceived(String line) {
      if (line.startsWith("upper ")) {
        sendLine(line.substring(6).toUpperCase(java.util.Locale.ROOT));
      } else {
        sendLine("error: say upper TEXT");
      }
    }
  }

  /** Sends one line after the greeting; its Deferred fires with the answer. */
  static final class Asker extends LineReceiver {
    private final String text;
    private boolean greeted;
    final Deferred<String> answer = new Deferred<>();

    Asker(String text) {
      this.text = text;
    }

    @Override
    public void lineReceived(String line) {
      if (!greeted) {
        greeted = true;
        sendLine("upper " + text);
      } else if (!answer.called()) {
        answer.callback(line);
        transport().loseConnection();
      }
    }
  }

  private UnixLineService() {}

  /** Connects as {@code endpoint} says and asks once. */
  static Deferred<String> ask(Reactor reactor, String endpoint, String text) {
    Asker asker = new Asker(text);
    return Endpoints.client(reactor, endpoint)
        .connect(Factory.of(() -> asker))
        .addCallbackDeferred(connected -> asker.answer);
  }

  /** {@code serve ENDPOINT}, or {@code ask ENDPOINT TEXT}. */
  public static void main(String[] args) throws IOException {
    Reactor reactor = Reactor.create();
    if (args[0].equals("serve")) {
      String where = Endpoints.server(reactor, args[1]).listen(Factory.of(Upper::new)).describe();
      System.out.println("upper on " + where);
    } else {
      ask(reactor, args[1], args[2])
          .addCallbacks(
              answer -> {
                System.out.println(answer);
                reactor.stop();
                return null;
              },
              failure -> {
                System.out.println("failed: " + failure.message());
                reactor.stop();
                return null;
              });
    }
    reactor.run();
  }
}
