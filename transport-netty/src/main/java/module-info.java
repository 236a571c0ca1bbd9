/**
 * What every Netty-based transport shares: one Network implementation over Netty's I/O handlers.
 */
module io.torsion.transport.netty {
  requires transitive io.torsion;
  requires transitive io.netty.transport;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport.unix.common;
  requires io.torsion.posix;

  exports io.torsion.transport.netty;
}
