package io.torsion.examples;

import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.protocols.echo.Echo;
import io.torsion.protocols.line.LineReceiver;
import io.torsion.protocols.unification.PortUnification;
import java.util.Locale;

/**
 * Several protocols on one reactor, the plain case: echo on 9000, a line protocol on 9001, and on
 * 9002 both at once, chosen by each connection's first bytes. One thread serves them all.
 *
 * <pre>
 * java -cp examples/target/torsion-demo.jar io.torsion.examples.MultiProtocolServer
 * printf 'hi' | nc 127.0.0.1 9000        # echo
 * printf 'hi\r\n' | nc 127.0.0.1 9001    # line: HI
 * printf 'ECHO x' | nc 127.0.0.1 9002    # unified: starts with ECHO, so echo
 * </pre>
 */
public final class MultiProtocolServer {
  private MultiProtocolServer() {}

  /** Shouts every line back. */
  static final class Shout extends LineReceiver {
    @Override
    public void lineReceived(String line) {
      sendLine(line.toUpperCase(Locale.ROOT));
    }
  }

  /** Starts the three ports and runs until interrupted. */
  public static void main(String[] args) throws Exception {
    Reactor reactor = Reactor.create();
    reactor.listenTCP(9000, "127.0.0.1", Factory.of(Echo::new));
    reactor.listenTCP(9001, "127.0.0.1", Factory.of(Shout::new));
    reactor.listenTCP(
        9002,
        "127.0.0.1",
        PortUnification.builder(reactor)
            .route("echo", 4, PortUnification.startsWithAny("ECHO"), Factory.of(Echo::new))
            .fallback(Factory.of(Shout::new))
            .build());
    System.out.println(
        "multi-protocol server: echo=127.0.0.1:9000 line=127.0.0.1:9001 unified=127.0.0.1:9002");
    reactor.run();
  }
}
