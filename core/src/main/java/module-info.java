/**
 * Torsion's core: the API ({@code io.torsion}: reactor, protocols, transports, Deferred) and the
 * SPI that transports implement ({@code io.torsion.spi}). The runtime itself ({@code
 * io.torsion.internal}) is not exported.
 */
module io.torsion {
  requires java.management; // the default output budget reads -XX:MaxDirectMemorySize
  requires jdk.unsupported; // sun.misc.Signal, looked up by reflection, stops the reactor on

  // SIGINT/SIGTERM

  exports io.torsion;
  exports io.torsion.endpoints;
  exports io.torsion.spi;
  exports io.torsion.tls;

  uses io.torsion.endpoints.EndpointParser;
  uses io.torsion.spi.ReactorProvider;
  uses io.torsion.spi.TlsProvider;
}
