/** The {@code nio} transport: Netty's NIO I/O handler, which runs everywhere. */
module io.torsion.transport.nio {
  requires transitive io.torsion;
  requires io.torsion.transport.netty;

  exports io.torsion.transport.nio;

  provides io.torsion.spi.ReactorProvider with
      io.torsion.transport.nio.NioReactorProvider;
}
