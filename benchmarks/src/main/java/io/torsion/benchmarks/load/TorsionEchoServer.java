package io.torsion.benchmarks.load;

import io.torsion.Factory;
import io.torsion.Reactor;
import io.torsion.ReactorOptions;
import io.torsion.protocols.echo.Echo;

/**
 * Torsion's side of the echo load test: {@link Echo} on one reactor thread.
 *
 * <pre>java -cp benchmarks.jar io.torsion.benchmarks.load.TorsionEchoServer PORT TRANSPORT</pre>
 */
public final class TorsionEchoServer {
  private TorsionEchoServer() {}

  /** Serves echo on the port given, on the transport given. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String transport = args.length < 2 ? "epoll" : args[1];
    Reactor reactor = Reactor.create(ReactorOptions.builder().transport(transport).build());
    reactor.listenTCP(port, "127.0.0.1", Factory.of(Echo::new));
    System.out.println("torsion-echo: " + reactor.report().summary() + " 127.0.0.1:" + port);
    reactor.run();
  }
}
