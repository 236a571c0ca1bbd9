package io.torsion.examples;

import io.torsion.DatagramProtocol;
import io.torsion.DatagramTransport;
import io.torsion.Deferred;
import io.torsion.Reactor;
import io.torsion.TimeoutError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * UDP echo and its client in one file, as Twisted's {@code DatagramProtocol} examples: the server
 * sends every datagram back to its sender; the client connects its port to the server, sends one
 * datagram and waits for the answer, at most a second (UDP may lose it), and hears of a closed port
 * as {@code connectionRefused}. Run {@code UdpEcho serve 9999}, then {@code UdpEcho ask 9999
 * hello}.
 */
public final class UdpEcho {
  /** Sends every datagram back to where it came from. */
  static final class Server extends DatagramProtocol {
    @Override
    public void datagramReceived(ByteBuffer data, InetSocketAddress sender) {
      transport().write(data, sender);
    }
  }

  /** Asks once; its Deferred fires with the answer, or fails (refused, or no answer in time). */
  static final class Client extends DatagramProtocol {
    private final int serverPort;
    private final String question;
    final Deferred<String> answer = new Deferred<>();

    Client(int serverPort, String question) {
      this.serverPort = serverPort;
      this.question = question;
    }

    @Override
    public void startProtocol() {
      transport().connect("127.0.0.1", serverPort); // only the server's datagrams arrive now
      transport().write(ByteBuffer.wrap(question.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void datagramReceived(ByteBuffer data, InetSocketAddress sender) {
      if (!answer.called()) {
        answer.callback(StandardCharsets.UTF_8.decode(data).toString());
      }
    }

    @Override
    public void connectionRefused() {
      if (!answer.called()) {
        answer.errback(new IOException("nothing listens on UDP port " + serverPort));
      }
    }
  }

  private UdpEcho() {}

  /** Asks the echo on {@code port} once, for at most {@code timeout}. */
  static Deferred<String> ask(Reactor reactor, int port, String question, Duration timeout)
      throws IOException {
    Client client = new Client(port, question);
    DatagramTransport transport = reactor.listenUDP(0, "127.0.0.1", client);
    return client.answer.addTimeout(timeout, reactor).addFinally(transport::stopListening);
  }

  /** {@code serve PORT}, or {@code ask PORT TEXT}. */
  public static void main(String[] args) throws IOException {
    Reactor reactor = Reactor.create();
    int port = Integer.parseInt(args[1]);
    if (args[0].equals("serve")) {
      reactor.listenUDP(port, "127.0.0.1", new Server());
      System.out.println("UDP echo on 127.0.0.1:" + port);
    } else {
      ask(reactor, port, args[2], Duration.ofSeconds(1))
          .addCallbacks(
              answer -> {
                System.out.println("answer: " + answer);
                reactor.stop();
                return null;
              },
              failure -> {
                System.out.println(
                    failure.check(TimeoutError.class) != null
                        ? "no answer within a second"
                        : "failed: " + failure.message());
                reactor.stop();
                return null;
              });
    }
    reactor.run();
  }
}
