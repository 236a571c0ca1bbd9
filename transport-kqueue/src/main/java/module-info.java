/**
 * The {@code kqueue} transport: Netty's native kqueue (macOS and BSD). Its native libraries are
 * modules of their own, required here so that they are resolved on the module path too.
 */
module io.torsion.transport.kqueue {
  requires transitive io.torsion;
  requires io.torsion.transport.netty;
  requires io.netty.transport.classes.kqueue;
  requires io.netty.transport.kqueue.osx.x86_64;
  requires io.netty.transport.kqueue.osx.aarch_64;

  exports io.torsion.transport.kqueue;

  provides io.torsion.spi.ReactorProvider with
      io.torsion.transport.kqueue.KQueueReactorProvider;
}
