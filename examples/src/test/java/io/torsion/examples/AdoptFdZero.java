package io.torsion.examples;

import io.torsion.Factory;
import io.torsion.ListeningPort;
import io.torsion.Reactor;
import io.torsion.protocols.echo.Echo;

/**
 * For {@link DemoAdoptedSocketTest}: serves echo on the listening socket inetd-style on fd 0
 * ({@code adoptStreamPort(0, ...)}), prints {@code adopted ADDRESS}, and runs until stopped.
 */
public final class AdoptFdZero {
  private AdoptFdZero() {}

  /** Adopts fd 0 on the reactor the system property chooses. */
  public static void main(String[] args) throws Exception {
    Reactor reactor = Reactor.create();
    ListeningPort port = reactor.adoptStreamPort(0, Factory.of(Echo::new));
    System.out.println("adopted " + port.getHost().getHostString() + ":" + port.port());
    System.out.flush();
    reactor.run();
  }
}
